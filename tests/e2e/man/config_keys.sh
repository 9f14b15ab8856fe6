#!/usr/bin/env bash
# Every config key warmthd reads (warmthd --config-keys: the readers record
# them) is in warmth.toml(5), with its type, and in the example config,
# set or commented, under its table; the example names no other key.
#   config_keys.sh WARMTHD MAN_PAGE EXAMPLE
set -euo pipefail

warmthd=$1 page=$2 example=$3
keys=$("$warmthd" --config-keys)
[ -n "$keys" ] || { echo "FAIL: warmthd --config-keys printed nothing"; exit 1; }

# The example's keys, dotted: "name = …" lines, set or commented ("# name = …"),
# under the last [table] header.
example_keys=$(awk '
  /^\[[a-z_.]+\]$/ {
    table = substr($0, 2, length($0) - 2)
    n = split(table, part, ".")
    prefix = ""
    for (i = 1; i <= n; i++) { prefix = prefix (i > 1 ? "." : "") part[i]; print prefix }
    next
  }
  /^#? ?[a-z_]+ = / { sub(/^# ?/, ""); sub(/ = .*/, ""); print (table == "" ? "" : table ".") $0 }
' "$example" | sort -u)

status=0 count=0
while read -r key kind; do
  count=$((count + 1))
  case $kind in
    strings) kind="array of strings" ;;
  esac
  # In the page: "\fBmodel.threshold\fR \fInumber\fR".
  if ! grep -qF -- "\\fB$key\\fR \\fI$kind\\fR" "$page"; then
    echo "FAIL: warmth.toml(5) does not list $key ($kind)"
    status=1
  fi
  # cadence.tags holds any keys: the example shows one, commented.
  if ! grep -qxF -- "$key" <<<"$example_keys"; then
    echo "FAIL: $(basename "$example") does not list $key"
    status=1
  fi
done <<<"$keys"
while read -r key; do
  case $key in cadence.tags.*) continue ;; esac
  if ! grep -q "^$key " <<<"$keys"; then
    echo "FAIL: $(basename "$example") lists $key, which warmthd does not read"
    status=1
  fi
done <<<"$example_keys"
echo "$count keys checked"
exit $status
