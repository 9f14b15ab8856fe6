#!/usr/bin/env bash
# A benchmark binary in smoke mode: each benchmark once, on its smallest
# sizes, and every expected row present. Timings are not checked.
#   bench/smoke.sh BINARY FILTER NAME...
set -euo pipefail
binary=$1 filter=$2
shift 2
out=$("$binary" --benchmark_filter="$filter" --benchmark_min_time=0.001 2>&1) || {
  echo "$out"
  exit 1
}
missing=0
for name in "$@"; do
  if ! grep -q "^$name " <<<"$out"; then
    echo "missing benchmark row: $name"
    missing=1
  fi
done
[ "$missing" = 0 ] || echo "$out"
exit "$missing"
