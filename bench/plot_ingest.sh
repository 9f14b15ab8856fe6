#!/usr/bin/env bash
# Plots warmth-bench's figures: docs/ingest-throughput.png (events/s against
# the number of clients, one line per mode, 1 and 10 interactions per request
# side by side) and docs/ingest-p99.png (ack p99 against clients).
#
#   bench/plot_ingest.sh [TSV] [OUT_DIR]
#
# TSV: what `warmth-bench --format tsv` prints or `--tsv FILE` writes; without it (or with "-"
# for stdin) this runs $WARMTH_BENCH (default build/bench/bench/warmth-bench)
# with $WARMTH_BENCH_ARGS and keeps its table in OUT_DIR/ingest.tsv. OUT_DIR
# defaults to docs/. Needs gnuplot (gnuplot-nox).
set -euo pipefail
cd "$(dirname "$0")/.."
tsv=${1:-}
out=${2:-docs}
command -v gnuplot >/dev/null || { echo "plot_ingest.sh: gnuplot is not installed" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d /tmp/warmth-plot-XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ -z "$tsv" ]; then
  # shellcheck disable=SC2086 # WARMTH_BENCH_ARGS is a list of options
  "${WARMTH_BENCH:-build/bench/bench/warmth-bench}" --format tsv ${WARMTH_BENCH_ARGS:-} \
    >"$out/ingest.tsv"
  tsv=$out/ingest.tsv
elif [ "$tsv" = - ]; then
  cat >"$work/in.tsv"
  tsv=$work/in.tsv
fi

# One file per mode and batch size: clients, events/s, p99 (ms). sqlite has
# no clients (one writer): its figure is drawn across the whole axis.
awk -F'\t' -v dir="$work" '
  NR == 1 || /^#/ { next }
  $1 == "sqlite" { sqlite_rate[$2] = $4; sqlite_p99[$2] = $7; next }
  $1 == "raw" || $1 == "pipeline" || $1 == "warmthd" || $1 == "warmthd-half" {
    f = dir "/" $1 "-" $2 ".dat"; print $3, $4, $7 > f
    if (min == "" || $3 < min) min = $3
    if ($3 > max) max = $3
  }
  END {
    for (p in sqlite_rate) {
      f = dir "/sqlite-" p ".dat"
      print min, sqlite_rate[p], sqlite_p99[p] > f; print max, sqlite_rate[p], sqlite_p99[p] > f
    }
  }' "$tsv"
for f in "$work"/*.dat; do sort -n -o "$f" "$f"; done
ls "$work"/raw-1.dat "$work"/raw-10.dat >/dev/null

# plot_panel COLUMN PER_REQUEST: the gnuplot `plot` line for one panel.
plot_panel() {
  local col=$1 per=$2 line="plot" sep=""
  local -A title=([raw]="raw ack limit" [pipeline]="minimal pipeline" [warmthd]="warmthd"
    [warmthd-half]="warmthd at half its peak" [sqlite]="bare SQLite (1 writer)")
  local -A style=([raw]="lw 2 lc rgb '#1f77b4' pt 7" [pipeline]="lw 2 lc rgb '#2ca02c' pt 5"
    [warmthd]="lw 3 lc rgb '#d62728' pt 9" [warmthd-half]="lw 2 dt 3 lc rgb '#d62728' pt 8"
    [sqlite]="lw 2 dt 2 lc rgb '#7f7f7f' pt -1")
  for mode in raw pipeline warmthd warmthd-half sqlite; do
    [ -f "$work/$mode-$per.dat" ] || continue
    line+="$sep '$work/$mode-$per.dat' using 1:$col with linespoints ${style[$mode]} title '${title[$mode]}'"
    sep=","
  done
  echo "$line"
}

when=$(date -r "$tsv" +%F)
# The x axis from the fewest to the most clients measured, a little beyond.
read -r xmin xmax < <(awk -F'\t' 'NR > 1 && !/^#/ && $1 == "raw" {
  if (min == "" || $3 < min) min = $3; if ($3 > max) max = $3 } END { print min, max }' "$tsv")
draw() {
  local file=$1 col=$2 ylabel=$3 heading=$4 yformat=$5
  gnuplot <<GNUPLOT
set terminal pngcairo size 1200,560 font "DejaVu Sans,11"
set output '$file'
set multiplot layout 1,2 title "$heading ($(nproc) cores, $when)" font ",13"
set logscale xy 2
set logscale y 10
set xlabel 'concurrent clients (DEALER, own window each)' offset 0,0.6
set ylabel '$ylabel'
set grid xtics ytics mytics
set key below horizontal maxrows 2 height 1.5 width 2
set xrange [$xmin * 0.85:$xmax * 1.18]
set xtics (1, 2, 4, 8, 16, 32, 64)
set format y '$yformat'
set title '1 interaction per request'
$(plot_panel "$col" 1)
set title '10 interactions per request'
$(plot_panel "$col" 10)
unset multiplot
GNUPLOT
}
draw "$out/ingest-throughput.png" 2 'acknowledged events/s' \
  'warmth-bench: durable ingest against its limits' '%.0s%c'
draw "$out/ingest-p99.png" 3 'ack p99 (ms), send to ack; sqlite: BEGIN to COMMIT' \
  'warmth-bench: ack latency p99' '%g'
echo "wrote $out/ingest-throughput.png $out/ingest-p99.png (from $tsv)"
