#!/usr/bin/env bash
# The ingest pipeline, end to end: warmthd on a fresh store in a temporary
# directory, driven by warmth-load over ipc://, one run per configuration.
# Prints one table row per run: acknowledged events per second and the
# latency of a batch from send to ack (p50, p99, p99.9, max).
#
#   bench/ingest.sh [BUILD_DIR] [EVENTS]     (defaults: build/bench, 200000)
#
# Builds BUILD_DIR in Release first when it has no warmthd. Figures and how
# to read them: docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/bench}
events=${2:-200000}

if [ ! -x "$build/daemon/warmthd" ] || [ ! -x "$build/bench/warmth-load" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DWARMTH_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j"$(nproc)" --target warmthd warmth-load >/dev/null
fi
warmthd=$PWD/$build/daemon/warmthd
load=$PWD/$build/bench/warmth-load

work=$(mktemp -d /tmp/warmth-bench-XXXXXX)
daemon_pid=
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
printf 'timezone = "UTC"\n[delivery]\nquiet_hours = ""\nmax_per_day = 0\n' >"$work/warmth.toml"

# run NAME BATCH WINDOW BACKFILL [EVENTS]: a fresh store each time.
run() {
  local name=$1 batch=$2 window=$3 backfill=$4 n=${5:-$events} dir
  dir=$(mktemp -d "$work/run-XXXXXX")
  "$warmthd" --config "$work/warmth.toml" --data-dir "$dir/data" --api "ipc://$dir/api" \
    --pub "ipc://$dir/pub" --log-level warn 2>"$dir/warmthd.log" &
  daemon_pid=$!
  for _ in $(seq 100); do [ -S "$dir/api" ] && break; sleep 0.05; done
  local line
  line=$("$load" --api "ipc://$dir/api" --events "$n" --batch "$batch" --window "$window" \
    --backfill "$backfill" --contacts 200 --prefix "$name" --timeout-ms 30000)
  kill "$daemon_pid"; wait "$daemon_pid" || true; daemon_pid=
  # key=value pairs -> a table row
  awk -v name="$name" -v batch="$batch" -v window="$window" -v backfill="$backfill%" '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "| %-28s | %7d | %5s | %6s | %8s | %9d | %8.1f | %8.1f | %8.1f | %8.1f |\n", name,
      v["events"], batch, window, backfill, v["acks_per_s"], v["p50_us"] / 1000, v["p99_us"] / 1000,
      v["p999_us"] / 1000, v["max_us"] / 1000 }' <<<"$line"
}

echo "warmthd $("$warmthd" --version | awk '{print $2}'), $events events per run, $(nproc) cores, $(date -u +%F)"
echo
echo "| run                          |  events | batch | window | backfill |    acks/s | p50 (ms) | p99 (ms) | p99.9 ms | max (ms) |"
echo "|------------------------------|--------:|------:|-------:|---------:|----------:|---------:|---------:|---------:|---------:|"
run one-event-lock-step 1 1 0 $((events / 100))
run one-event-window-64 1 64 0 $((events / 10))
run batch-100-lock-step 100 1 0
run batch-100-window-4 100 4 0
run batch-100-window-16 100 16 0
run batch-500-window-8 500 8 0
run batch-100-window-16-backfill 100 16 10
