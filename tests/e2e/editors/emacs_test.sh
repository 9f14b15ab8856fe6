#!/usr/bin/env bash
# clients/emacs/warmth.el: byte-compiles with no warnings, passes checkdoc, and
# its ERT tests pass in batch Emacs against a real warmthd started here.
#   emacs_test.sh WARMTHD WARMCTL EMACS_DIR
# Exits 77 when emacs is not installed.
set -euo pipefail

warmthd=$1 warmctl=$2 src=$3
command -v emacs >/dev/null || { echo "emacs not installed: skipped"; exit 77; }

tmp=$(mktemp -d)
daemon=
cleanup() {
  if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# Compile a copy: no .elc in the source tree.
cp "$src/warmth.el" "$src/warmth-tests.el" "$tmp/"
emacs -Q -batch --eval '(setq byte-compile-error-on-warn t)' -f batch-byte-compile "$tmp/warmth.el"

# checkdoc only reports; every report fails the test.
emacs -Q -batch --eval '
(progn
  (require (quote checkdoc))
  (let ((reports 0))
    (setq checkdoc-create-error-function
          (lambda (text _start _end &optional _unfixable)
            (setq reports (1+ reports))
            (message "checkdoc: %s" text)
            nil))
    (checkdoc-file (car command-line-args-left))
    (kill-emacs (if (= reports 0) 0 1))))' "$tmp/warmth.el"

mkdir -m 0700 "$tmp/run" "$tmp/data" "$tmp/config"
export XDG_RUNTIME_DIR=$tmp/run XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config
# No quiet hours and no daily budget: the nudge tests would otherwise fail
# whenever they run between 21:00 and 09:00 on this machine's clock.
mkdir -m 0700 "$XDG_CONFIG_HOME/warmth"
printf '[delivery]\nquiet_hours = ""\nmax_per_day = 0\n' >"$XDG_CONFIG_HOME/warmth/warmth.toml"
"$warmthd" >"$tmp/warmthd.log" 2>&1 &
daemon=$!
for _ in $(seq 100); do
  "$warmctl" status >/dev/null 2>&1 && break
  sleep 0.05
done
"$warmctl" status >/dev/null || { cat "$tmp/warmthd.log"; exit 1; }

cd "$tmp"
WARMTH_WARMCTL=$warmctl emacs -Q -batch -L "$tmp" -l warmth.elc -l warmth-tests.el \
  -f ert-run-tests-batch-and-exit
