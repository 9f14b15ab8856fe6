#!/usr/bin/env bash
# The Debian package, built with CPack from a configured build and checked:
# its contents list what it must, its dependencies were worked out from the
# binaries, lintian reports no error, and the package unpacked into a
# scratch root runs.
#
#   deb_test.sh BUILD_DIR
#
# Exit 77 (skipped) when cpack, dpkg-deb or lintian is missing.
set -euo pipefail

build=$(realpath "$1")
for tool in cpack dpkg-deb dpkg-shlibdeps lintian; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (scripts/deps test)"; exit 77; }
done

work=$(mktemp -d /tmp/warmth-deb-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cpack --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(find "$work" -maxdepth 1 -name 'warmth_*.deb' | head -n 1)
[ -n "$deb" ] || { cat "$work/cpack.log"; fail "no warmth_*.deb in $work"; }
echo "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

dpkg-deb --contents "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$work/contents"
missing=0
while read -r want; do
  [ -z "$want" ] && continue
  grep -qxF "$want" "$work/contents" || { echo "missing from the package: $want"; missing=1; }
done <"$(dirname "$0")/contents.txt"
[ "$missing" = 0 ] || fail "the package lacks files (dpkg-deb --contents above)"

depends=$(dpkg-deb -f "$deb" Depends)
for lib in libzmq5 libsqlite3-0 libprotobuf32 libgmime-3.0-0 libsystemd0; do
  case "$depends" in *"$lib"*) ;; *) fail "Depends lacks $lib: $depends" ;; esac
done

# Errors fail; warnings and notes are shown for a look.
if ! lintian --fail-on error --tag-display-limit 0 "$deb" >"$work/lintian.txt" 2>&1; then
  cat "$work/lintian.txt"
  fail "lintian reports errors"
fi
sed 's/^/lintian: /' "$work/lintian.txt"

root=$work/root
dpkg -x "$deb" "$root"
"$root/usr/bin/warmthd" --version | grep -q 'warmthd' || fail "warmthd --version from the package"
"$root/usr/bin/warmctl" --help | grep -q 'Usage: warmctl' || fail "warmctl --help from the package"
grep -qx 'ExecStart=/usr/bin/warmthd' "$root/usr/lib/systemd/system/warmthd.service" ||
  fail "the system unit does not start /usr/bin/warmthd"
echo "ok: the package installs, lints clean of errors and runs"
