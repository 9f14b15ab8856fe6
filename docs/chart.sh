#!/usr/bin/env bash
# Draws docs/chart.png: a throwaway warmthd, four months of a close friend
# logged with warmctl, then warmctl chart. Times are relative to now, so the
# picture keeps its shape whenever it is redrawn.
#   docs/chart.sh [BUILD_DIR]     (default: build/dev)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/dev}
warmthd=$build/daemon/warmthd
warmctl=$build/clients/warmctl

tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
export XDG_RUNTIME_DIR=$tmp/run XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME/warmth"
printf 'timezone = "UTC"\n' >"$XDG_CONFIG_HOME/warmth/warmth.toml"
"$warmthd" 2>"$tmp/warmthd.log" &
pid=$!
for _ in $(seq 100); do
  "$warmctl" status >/dev/null 2>&1 && break
  sleep 0.1
done

"$warmctl" contact add ann --name "Ann Lee" --circle close >/dev/null
log() { "$warmctl" log ann --channel "$1" --at "$2 ago" ${3:+--direction "$3"} >/dev/null; }
log in_person 118d
log message 110d
log message 109d inbound
log call 95d
log email 80d
log email 78d inbound
log message 66d
log social 60d inbound
log video 52d
log message 30d
log message 29d inbound
log email 21d
log in_person 9d
log message 4d inbound
"$warmctl" log ann --missed --at "2d ago" >/dev/null
"$warmctl" chart ann --out "$root/docs/chart.png"
