#!/usr/bin/env bash
# Plots `warmth-bench --scale`'s rows: docs/scale-rss.png, warmthd's resident
# memory against the number of contacts it holds (left: MiB in all and the
# fixed base; right: bytes per contact beyond the base, with the 160 B
# target).
#
#   bench/plot_scale.sh SCALE_TSV [OUT_DIR]
#
# SCALE_TSV: what `warmth-bench --scale N,... --tsv FILE` wrote. OUT_DIR
# defaults to docs/. Needs gnuplot (gnuplot-nox).
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
tsv=$(realpath "$1")
out=$(realpath "${2:-$(dirname "$0")/../docs}")
command -v gnuplot >/dev/null || { echo "plot_scale.sh: gnuplot is not installed" >&2; exit 1; }
rows=$(grep -vc -e '^#' -e '^contacts' "$tsv" || true)
[ "$rows" -ge 1 ] || { echo "plot_scale.sh: no rows in $tsv" >&2; exit 1; }
per_contact=$(awk -F'\t' 'NR == 2 { printf "%g", $2 / $1 }' "$tsv")

gnuplot <<GNUPLOT
set terminal pngcairo size 1200,520 font "DejaVu Sans,11"
set output '$out/scale-rss.png'
set datafile separator '\t'
set datafile commentschars '#'
set key autotitle columnhead
set multiplot layout 1,2 title "warmthd's resident memory, $per_contact stored interactions per contact ($(nproc) cores, $(date -r "$tsv" +%F))" font ",13"
set logscale x 10
set format x '10^{%L}'
set xlabel 'contacts held'
set grid
set key top left
set ylabel 'VmRSS (MiB)'
set logscale y 10
plot '$tsv' using 1:(\$8/1024) with linespoints lw 3 lc rgb '#d62728' pt 9 title 'warmthd', \
     '' using 1:(\$9/1024) with lines lw 2 dt 2 lc rgb '#7f7f7f' title 'base (empty store)'
unset logscale y
set ylabel 'bytes per contact beyond the base'
set yrange [0:*]
plot '$tsv' using 1:10 with linespoints lw 3 lc rgb '#d62728' pt 9 title 'warmthd', \
     160 with lines lw 2 dt 2 lc rgb '#2ca02c' title 'target: 160 B'
unset multiplot
GNUPLOT
echo "wrote $out/scale-rss.png (from $tsv)"
