#!/usr/bin/env bash
# Times `warmthd replay` over a synthetic year of one busy person's life:
# 100,000 interactions with 2,000 contacts (bench/make_timeline.cc).
#
#   bench/replay_year.sh [BUILD_DIR]     default: build/release (a Release build)
#
# Prints the wall time of 5 runs, the median, and the peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
if [ ! -x "$build/daemon/warmthd" ] || [ ! -x "$build/bench/make_timeline" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DWARMTH_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j2 --target warmthd make_timeline >/dev/null
fi
timeline=$(mktemp)
trap 'rm -f "$timeline" "$timeline.out"' EXIT
"$build/bench/make_timeline" --interactions 100000 --contacts 2000 --seed 1 >"$timeline"
echo "timeline: $(wc -l <"$timeline") lines"
times=()
for run in 1 2 3 4 5; do
  line=$( { /usr/bin/time -f "%e %M" "$build/daemon/warmthd" replay "$timeline" --no-config >"$timeline.out"; } 2>&1 | tail -1)
  times+=("${line%% *}")
  echo "run $run: ${line%% *} s, peak ${line##* } KiB"
done
echo "nudges printed: $(wc -l <"$timeline.out")"
printf '%s\n' "${times[@]}" | sort -n | sed -n 3p | xargs -I{} echo "median: {} s"
