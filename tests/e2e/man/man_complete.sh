#!/usr/bin/env bash
# Every subcommand and every long option a binary's --help lists appears in
# its man page (as the page renders).
#   man_complete.sh BINARY PAGE.gz
# Exit 77 (skipped) when mandoc is not installed.
set -euo pipefail

bin=$1 page=$2
if ! command -v mandoc >/dev/null; then
  echo "SKIP: mandoc is not installed (scripts/deps test installs it)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/run
gzip -dc "$page" | mandoc -T ascii | col -b >"$work/page.txt"
name=$(basename "$bin")
status=0
checked=0

# check PATH...: the options and subcommands of `name PATH... --help`.
check() {
  local help subs s opt
  help=$("$bin" "$@" --help)
  for opt in $(grep -oE -- '--[a-z][a-z0-9-]*' <<<"$help" | sort -u); do
    checked=$((checked + 1))
    if ! grep -qF -- "$opt" "$work/page.txt"; then
      echo "FAIL: $name $* --help lists $opt; the page does not"
      status=1
    fi
  done
  subs=$(sed -n '/^Subcommands:/,$p' <<<"$help" | sed -nE 's/^  ([a-z][a-z0-9-]*)( .*)?$/\1/p')
  for s in $subs; do
    checked=$((checked + 1))
    if ! grep -qE -- "(^| )$name $* ?$s( |$)" "$work/page.txt"; then
      echo "FAIL: $name $* has the subcommand $s; the page does not"
      status=1
    fi
    check "$@" "$s"
  done
}
check
echo "$name: $checked options and subcommands checked"
exit $status
