#!/usr/bin/env bash
# warmth-bench --smoke against the built warmthd: it exits 0 only when every
# event of every measurement was acknowledged ACCEPTED exactly once and is in
# the store afterwards; here, every expected row is present, with events, as
# many accepted, and a rate above zero. No timing is asserted.
#
#   bench/warmth_bench_smoke.sh WARMTH_BENCH WARMTHD
set -euo pipefail

bench=$1 warmthd=$2
work=$(mktemp -d /tmp/warmth-bench-test-XXXXXX)
trap 'rm -rf "$work"' EXIT

if ! "$bench" --smoke --format tsv --warmthd "$warmthd" --tmp "$work" --log-level warn \
    >"$work/out.tsv" 2>"$work/err.log"; then
  echo "FAIL: warmth-bench --smoke exited non-zero"
  cat "$work/err.log" "$work/out.tsv"
  exit 1
fi

expected=$(
  for per in 1 10; do
    echo "sqlite $per 1"
    for clients in 1 2; do
      for mode in raw pipeline warmthd warmthd-half; do echo "$mode $per $clients"; done
    done
  done
  echo "warmthd-known 10 1"
  echo "warmthd-new 10 1"
)
awk -F'\t' -v expected="$expected" '
  NR == 1 {
    want = "mode\tper_request\tclients\tevents_per_s\tratio\tp50_ms\tp99_ms\tevents\taccepted"
    if (index($0, want) != 1) { print "FAIL: header: " $0; bad = 1 }
    next
  }
  /^#/ { next }
  {
    key = $1 " " $2 " " $3
    seen[key]++
    if (!($4 > 0)) { print "FAIL: " key ": events_per_s " $4; bad = 1 }
    if (!($8 > 0) || $8 != $9) { print "FAIL: " key ": " $8 " events, " $9 " accepted"; bad = 1 }
  }
  END {
    n = split(expected, rows, "\n")
    for (i = 1; i <= n; i++) {
      if (seen[rows[i]] != 1) { print "FAIL: row \"" rows[i] "\" seen " seen[rows[i]] + 0 " times"; bad = 1 }
    }
    exit bad
  }' "$work/out.tsv" || { cat "$work/out.tsv"; exit 1; }
grep -q '^# new identifiers: .*known/new = ' "$work/out.tsv" || { echo "FAIL: no new/known line"; exit 1; }
grep -q '^# warmthd at half its peak (.*ack p50 .* ms, p99 .* ms' "$work/out.tsv" ||
  { echo "FAIL: no half-load latency line"; cat "$work/out.tsv"; exit 1; }
echo "ok: $(grep -vc '^#' "$work/out.tsv") lines"

# --scale on two small stores: warmth-bench exits 1 unless warmthd loaded
# every contact and interaction written; each row has its figures.
if ! "$bench" --scale 300,3000 --smoke --format tsv --warmthd "$warmthd" --tmp "$work" \
    --log-level warn >"$work/scale.tsv" 2>"$work/scale.log"; then
  echo "FAIL: warmth-bench --scale exited non-zero"
  cat "$work/scale.log" "$work/scale.tsv"
  exit 1
fi
awk -F'\t' '
  NR == 1 {
    if (index($0, "contacts\tinteractions\tbuild_s\tstore_bytes\tscan_s\tstartup_s") != 1) {
      print "FAIL: scale header: " $0; bad = 1
    }
    next
  }
  /^#/ { next }
  {
    rows++
    if ($2 != 10 * $1) { print "FAIL: " $1 " contacts with " $2 " interactions"; bad = 1 }
    if (!($5 > 0) || !($6 > 0)) { print "FAIL: " $1 ": scan " $5 " s, start-up " $6 " s"; bad = 1 }
    if (!($8 > $9)) { print "FAIL: " $1 ": RSS " $8 " KiB, not above the base " $9; bad = 1 }
    for (c = 11; c <= 16; c++) if (!($c > 0)) { print "FAIL: " $1 ": column " c " is " $c; bad = 1 }
  }
  END { if (rows != 2) { print "FAIL: " rows + 0 " scale rows"; bad = 1 } exit bad }
' "$work/scale.tsv" || { cat "$work/scale.tsv"; exit 1; }
grep -q '^# 3000 contacts, 30000 interactions: start-up .* the bare scan' "$work/scale.tsv" ||
  { echo "FAIL: no start-up line"; cat "$work/scale.tsv"; exit 1; }
echo "ok: scale rows for 300 and 3000 contacts"
