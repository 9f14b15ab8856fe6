#!/bin/sh
# Checks a unit offline: `systemd-analyze verify` must print nothing (it exits
# 0 on unknown keys and bad values, so its output is what counts), and
# `systemd-analyze security` must rate it at most MAX_EXPOSURE.
#   check-unit.sh UNIT BINARY [MAX_EXPOSURE]
# BINARY replaces the ExecStart= program in a temporary copy (verify needs it
# to exist). Exits 77 (skipped) when systemd-analyze is not installed.
set -eu
unit=$1
binary=$2
max=${3:-2.0}

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "SKIPPED: systemd-analyze is not installed (Debian package systemd)"
  exit 77
fi
[ -x "$binary" ] || { echo "FAIL: $binary is not an executable"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
name=$(basename "$unit")
sed "s|^ExecStart=[^ ]*|ExecStart=$binary|" "$unit" > "$tmp/$name"

status=0
verify=$(cd "$tmp" && systemd-analyze verify --man=no "./$name" 2>&1) || status=$?
if [ "$status" -ne 0 ] || [ -n "$verify" ]; then
  echo "FAIL: systemd-analyze verify $name (exit $status):"
  echo "$verify"
  exit 1
fi
echo "ok: systemd-analyze verify $name printed nothing"

report=$(cd "$tmp" && systemd-analyze security --offline=true "./$name" 2>&1) || true
level=$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ -z "$level" ]; then
  echo "FAIL: no exposure level in the output of systemd-analyze security:"
  echo "$report"
  exit 1
fi
if awk -v l="$level" -v m="$max" 'BEGIN { exit !(l > m) }'; then
  echo "FAIL: $name exposure level $level is above $max:"
  printf '%s\n' "$report" | grep '✗' || true
  exit 1
fi
echo "ok: $name exposure level $level (at most $max)"
