#!/usr/bin/env bash
# systemd-analyze verify on the user units, pointed at the built binaries.
# It exits 0 even for unknown keys and bad values, so any output at all fails.
#   verify_user_units.sh UNIT...
set -euo pipefail
if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: systemd-analyze is not installed (package systemd; scripts/deps test installs it)"
  exit 77
fi
runtime=$(mktemp -d /tmp/wu-XXXXXX)
trap 'rm -rf "$runtime"' EXIT
status=0
out=$(XDG_RUNTIME_DIR=$runtime systemd-analyze verify --user --man=no "$@" 2>&1) || status=$?
if [ $status -ne 0 ] || [ -n "$out" ]; then
  echo "systemd-analyze verify (exit $status) says:"
  echo "$out"
  exit 1
fi
echo "clean: $*"
