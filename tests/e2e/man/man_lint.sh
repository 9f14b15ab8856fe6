#!/usr/bin/env bash
# Every man page is clean for mandoc -T lint and groff -ww, and renders with
# man -l from its installed .gz form.
#   man_lint.sh PAGE.gz...
# Exit 77 (skipped) when mandoc is not installed.
set -euo pipefail

if ! command -v mandoc >/dev/null; then
  echo "SKIP: mandoc is not installed (scripts/deps test installs it)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for gz in "$@"; do
  name=$(basename "$gz" .gz)
  gzip -dc "$gz" >"$work/$name"
  if ! out=$(mandoc -T lint -W warning "$work/$name" 2>&1) || [ -n "$out" ]; then
    echo "FAIL: mandoc -T lint $name:"
    echo "$out"
    status=1
  fi
  if command -v groff >/dev/null; then
    if ! out=$(groff -ww -z -man "$work/$name" 2>&1) || [ -n "$out" ]; then
      echo "FAIL: groff -ww -z -man $name:"
      echo "$out"
      status=1
    fi
  fi
  if command -v man >/dev/null; then
    # The NAME line, as `man NAME` shows it after install.
    title=${name%.*}
    if ! MANPAGER=cat MANWIDTH=80 man -l "$gz" 2>"$work/err" | grep -qE "^ *$title +- "; then
      echo "FAIL: man -l $gz does not show its NAME line:"
      cat "$work/err"
      status=1
    fi
  fi
  echo "ok: $name"
done
exit $status
