#!/usr/bin/env bash
# warmctl's zsh completion: it loads through compinit as _warmctl for
# warmctl, and its function, with zsh's compadd, _describe and _files
# standing in as recorders, offers the right words (contact ids from a real
# warmthd). Exit 77 (skipped) when zsh is not installed.
#   completion_zsh.sh WARMTHD WARMCTL COMPLETION_FILE(_warmctl)
set -euo pipefail

warmthd=$1 warmctl=$2 script=$3
if ! command -v zsh >/dev/null; then
  echo "SKIP: zsh is not installed (scripts/deps test installs it)"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=daemon.sh
. "$here/daemon.sh"
mkdir -p "$work/zfunc"
cp "$script" "$work/zfunc/_warmctl"

loaded=$(zsh -f -c "fpath=('$work/zfunc' \$fpath); autoload -U compinit; compinit -u -d '$work/zcompdump'
  print -r -- \"\$_comps[warmctl]\"" 2>&1)
expect "compinit: the completer of warmctl" "$loaded" "_warmctl"

# offers WORD...: what _warmctl offers with the cursor after the last word.
offers() {
  local w
  local quoted=()
  for w in "$@"; do quoted+=("'$w'"); done
  zsh -f -c "
    compadd() { while [[ \$1 == -* ]]; do [[ \$1 == -- ]] && { shift; break; }; shift; done; print -l -- \"\$@\" }
    _describe() { print -l -- \${\${(P)4}%%:*} }
    _files() { print -l -- '_files' \"\$@\" }
    source '$work/zfunc/_warmctl' >/dev/null 2>&1 || true
    words=(${quoted[*]}); CURRENT=\$#words
    _warmctl" 2>&1 | grep -v '^$' | sort | tr '\n' ' ' | sed 's/ $//'
}
expect "warmctl " "$(offers warmctl '')" \
  "chart contact dismiss done export import keygen list log nudges report snooze status trip watch"
expect "warmctl log --channel " "$(offers warmctl log --channel '')" \
  "call email in_person letter message social video voice_message"
expect "warmctl contact " "$(offers warmctl contact '')" "add edit rm show"
expect "warmctl log --" "$(offers warmctl log --)" "--at --channel --direction --id --missed --tag -c -d"
expect "warmctl import vcard " "$(offers warmctl import vcard '')" "_files"
start_daemon
expect "warmctl contact show " "$(offers warmctl contact show '')" "alice bob"
[ "$fails" -eq 0 ]
