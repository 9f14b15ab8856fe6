#!/usr/bin/env bash
# cmake --install into a temporary prefix: the user units land in
# lib/systemd/user under it, name the installed binaries, and verify clean.
#   install_user_units.sh CMAKE BUILD_DIR VERIFY_SCRIPT
set -euo pipefail
cmake=$1 build=$2 verify=$3
prefix=$(mktemp -d /tmp/wi-XXXXXX)
trap 'rm -rf "$prefix"' EXIT
"$cmake" --install "$build" --prefix "$prefix" >/dev/null
for unit in warmthd warmth-notify warmth-push; do
  file=$prefix/lib/systemd/user/$unit.service
  [ -f "$file" ] || { echo "FAIL: $unit.service is not in $prefix/lib/systemd/user"; exit 1; }
  grep -qx "ExecStart=$prefix/bin/$unit" "$file" ||
    { echo "FAIL: $unit.service: $(grep ExecStart "$file"), not $prefix/bin/$unit"; exit 1; }
done
file=$prefix/lib/systemd/user/warmth-import-phone.service
grep -q "^ExecStart=$prefix/bin/warmctl import android --new " "$file" ||
  { echo "FAIL: warmth-import-phone.service: $(grep ExecStart "$file")"; exit 1; }
[ -f "$prefix/lib/systemd/user/warmth-import-phone.path" ] ||
  { echo "FAIL: warmth-import-phone.path is not installed"; exit 1; }
"$verify" "$prefix/lib/systemd/user/warmthd.service" "$prefix/lib/systemd/user/warmth-notify.service" \
  "$prefix/lib/systemd/user/warmth-push.service" \
  "$prefix/lib/systemd/user/warmth-import-phone.service" "$prefix/lib/systemd/user/warmth-import-phone.path"
