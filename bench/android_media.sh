#!/usr/bin/env bash
# Times `warmctl import android --dry-run` on a backup whose one MMS part
# holds SIZE MiB of base64 media, against reading the same file with cat
# (the baseline, measured in the same run: this machine is shared).
#
#   bench/android_media.sh [BUILD_DIR] [SIZE_MIB...]   default: build/dev 16 256
#
# Prints, per size, the import's wall time and peak memory and its ratio to
# the baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(16 256)
warmctl=$build/clients/warmctl
[ -x "$warmctl" ] || { echo "build warmctl first: cmake --build $build --target warmctl" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for mib in "${sizes[@]}"; do
  file=$dir/sms-$mib.xml
  {
    printf "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"1\">\n"
    printf '<mms date="1700000000000" msg_box="1" address="+15550000003" m_type="132">'
    printf '<parts><part seq="0" ct="video/mp4" data="'
    head -c $((mib * 1024 * 1024)) /dev/zero | tr '\0' 'Q'
    printf '" /></parts></mms>\n</smses>\n'
  } >"$file"
  base=$( { /usr/bin/time -f "%e" cat "$file" >/dev/null; } 2>&1 | tail -1)
  line=$( { /usr/bin/time -f "%e %M" "$warmctl" import android --dry-run "$file" >/dev/null; } 2>&1 | tail -1)
  t=${line%% *}
  ratio=$(awk -v t="$t" -v b="$base" 'BEGIN { printf "%.1f", (b > 0 ? t / b : 0) }')
  echo "$mib MiB part: import ${t} s, peak ${line##* } KiB; cat ${base} s; ratio ${ratio}x"
done
