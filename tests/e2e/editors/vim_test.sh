#!/usr/bin/env bash
# The Vim and Neovim plugin (clients/vim) against the real warmthd. Each
# installed editor, headless, loads the plugin from the source tree and runs
# warmth_test.vim on notes written here; warmctl --json then reads back what
# the daemon recorded: contact, channel and time of each interaction, the
# list and nudges buffers, done, and the errors shown.
#
#   vim_test.sh WARMTHD WARMCTL
#
# Exit 77 (skipped) when neither vim (with +job) nor nvim is installed, or jq.
set -euo pipefail

warmthd=$1 warmctl_bin=$2
here=$(cd "$(dirname "$0")" && pwd)
plugin=$(cd "$here/../../../clients/vim" && pwd)

editors=()
if command -v vim >/dev/null && vim -Nu NONE -es -c 'if !has("job") | cquit 1 | endif' -c 'qall!'; then
  editors+=(vim)
fi
command -v nvim >/dev/null && editors+=(nvim)
if [ ${#editors[@]} -eq 0 ]; then
  echo "SKIP: neither vim (with +job: vim-nox) nor nvim is installed"
  exit 77
fi
if ! command -v jq >/dev/null; then
  echo "SKIP: jq is not installed (scripts/deps test installs it)"
  exit 77
fi

work=$(mktemp -d /tmp/warmth-vim-XXXXXX)
export XDG_RUNTIME_DIR=$work/run XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
chmod 700 "$work" "$XDG_RUNTIME_DIR"
# Nudges at any hour and no daily budget: each editor's cold contacts nudge now.
mkdir -p "$XDG_CONFIG_HOME/warmth"
printf '[delivery]\nquiet_hours = ""\nmax_per_day = 0\n' >"$XDG_CONFIG_HOME/warmth/warmth.toml"
daemon=
cleanup() {
  if [ -n "$daemon" ]; then
    kill "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

warmctl() { "$warmctl_bin" "$@"; }
"$warmthd" >"$work/warmthd.log" 2>&1 &
daemon=$!
for _ in $(seq 100); do
  warmctl status >/dev/null 2>&1 && break
  sleep 0.05
done
warmctl status >/dev/null

failures=0
fail() {
  echo "FAIL ($editor): $*"
  failures=$((failures + 1))
}
# The seconds since the epoch of the interactions CONTACT had on CHANNEL, one a line.
times() {
  warmctl --json contact show "$1" |
    jq -r --arg channel "$2" '.recent[] | select(.channel == $channel)
      | .occurredAt | sub("\\.[0-9]+"; "") | fromdate'
}
# CONTACT had an interaction on CHANNEL at the epoch second AT.
logged_at() { times "$1" "$2" | grep -qx "$3"; }
# CONTACT had an interaction on CHANNEL while the editor ran.
logged_now() {
  local t
  for t in $(times "$1" "$2"); do
    [ "$t" -ge $((started - 1)) ] && [ "$t" -le $((ended + 1)) ] && return 0
  done
  return 1
}
pending() { warmctl --json nudges --contact "$1" | jq '.nudges | length'; }

for editor in "${editors[@]}"; do
  dir=$work/$editor
  mkdir -p "$dir"
  e=$editor
  # dee and ed went cold 40 days ago: each has a COOLING nudge.
  warmctl contact add "ann-$e" --name "Ann $e" --email "ann-$e@example.com" --circle close >/dev/null
  for who in dee ed; do
    warmctl contact add "$who-$e" --name "${who^} $e" --email "$who-$e@example.com" \
      --circle inner >/dev/null
    warmctl log "$who-$e" --at "40d ago" >/dev/null
  done
  [ "$(pending "dee-$e")" = 1 ] && [ "$(pending "ed-$e")" = 1 ] || fail "setup: no nudges"

  met=$(date -u -d '3 days ago' +%Y-%m-%dT%H:%M:00Z)
  phone="+1 202 555 01$([ "$e" = vim ] && echo 11 || echo 22)"
  bo_phone="+1 202 555 02$([ "$e" = vim ] && echo 11 || echo 22)"
  cat >"$dir/meeting.md" <<NOTE
---
title: Coffee with Ann
date: $met
warmth: ann-$e   # who
tags: [coffee]
---

We talked about the move.
NOTE
  cat >"$dir/plain.md" <<NOTE
Lunch next week: write to bo-$e@example.com first.
Or call him at tel:$bo_phone, or ask @bo-$e.
NOTE
  cat >"$dir/keys.md" <<NOTE
---
who:
  - cy-$e@example.com
  - "$phone"
---
Video call.
NOTE
  cat >"$dir/future.md" <<NOTE
---
date: 2099-01-01
email: ann-$e@example.com
---
NOTE

  started=$(date -u +%s)
  rc=0
  case $editor in
    vim) WARMTH_TEST_DIR=$dir WARMTH_TEST_EDITOR=$e WARMTH_PLUGIN_DIR=$plugin \
      WARMTH_WARMCTL=$warmctl_bin timeout 20 vim -Nu NONE -i NONE -n -es \
      -c "source $here/warmth_test.vim" </dev/null >"$dir/editor.log" 2>&1 || rc=$? ;;
    nvim) WARMTH_TEST_DIR=$dir WARMTH_TEST_EDITOR=$e WARMTH_PLUGIN_DIR=$plugin \
      WARMTH_WARMCTL=$warmctl_bin timeout 20 nvim --headless -u NONE -i NONE -n \
      -c "source $here/warmth_test.vim" </dev/null >"$dir/editor.log" 2>&1 || rc=$? ;;
  esac
  ended=$(date -u +%s)
  if [ "$rc" -ne 0 ]; then
    fail "exit $rc: $(cat "$dir/error.txt" 2>/dev/null || cat "$dir/editor.log")"
    continue
  fi

  # :WarmthLog in_person in a note whose front matter names ann and a date.
  logged_at "ann-$e" IN_PERSON "$(date -u -d "$met" +%s)" ||
    fail "no in-person interaction with ann-$e at $met"
  # :WarmthLog on an e-mail address: a call, now.
  logged_now "bo-$e@example.com" CALL || fail "no call with bo-$e@example.com now"
  # … on a tel: number (with spaces) and on an @handle, with a channel given.
  logged_now "tel:$bo_phone" MESSAGE || fail "no message to tel:$bo_phone"
  logged_now "@bo-$e" SOCIAL || fail "no social touch with @bo-$e"
  # :WarmthLog letter tel:+1 202 555 03…: contact and channel given.
  logged_now "tel:+1 202 555 03${phone: -2}" LETTER || fail "no letter to +1 202 555 03${phone: -2}"
  # g:warmth_frontmatter_keys ['who'] (a list) and g:warmth_default_channel 'video'.
  logged_now "cy-$e@example.com" VIDEO || fail "no video call with cy-$e@example.com"
  logged_now "tel:$phone" VIDEO || fail "no video call with $phone"
  # Refused (in the future): nothing recorded, the reason shown.
  [ "$(times "ann-$e" CALL | wc -l)" = 0 ] || fail "the future interaction was recorded"
  grep -q "warmth: not logged: occurred_at: more than 5 minutes in the future" \
    "$dir/messages.txt" || fail "the refusal was not shown"
  grep -q "warmth: logged in_person with ann-$e at $met" "$dir/messages.txt" ||
    fail "no message for the logged interaction"

  # :WarmthList: a scratch buffer with the contacts, dee coldest first.
  [ "$(sed -n 1p "$dir/list.txt")" = warmth://list ] || fail "list: not the list buffer"
  grep -qE '^ +[0-9.]+ +inner +Dee '"$e"' \(dee-'"$e"'\) ' "$dir/list.txt" ||
    fail "list: no line for dee"
  grep -qE 'close +Ann '"$e"' \(ann-'"$e"'\)' "$dir/list.txt" || fail "list: no line for ann"
  # <CR> on dee's line: warmctl contact show in the preview window.
  grep -qx "Dee $e (dee-$e)" "$dir/show.txt" && grep -qx "circle: *inner" "$dir/show.txt" &&
    grep -qx "identifier: *dee-$e@example.com" "$dir/show.txt" || fail "<CR>: dee not shown"
  # :WarmthNudges: both nudges.
  grep -q "cooling .*talked with Dee $e\." "$dir/nudges.txt" &&
    grep -q "cooling .*talked with Ed $e\." "$dir/nudges.txt" || fail "nudges: not both"
  # :WarmthDone on ed's nudge line and :WarmthDone dee-…: recorded, nudges cleared.
  for who in dee ed; do
    [ "$(pending "$who-$e")" = 0 ] || fail "$who-$e still has a pending nudge"
    logged_now "$who-$e" CALL || fail ":WarmthDone recorded no call with $who-$e"
  done
  [ "$(sed -n 1p "$dir/nudges-after.txt")" = warmth://nudges ] &&
    grep -q "talked with Dee $e\." "$dir/nudges-after.txt" &&
    ! grep -q "talked with Ed $e\." "$dir/nudges-after.txt" ||
    fail "nudges after done: not refreshed: $(cat "$dir/nudges-after.txt")"
  grep -q "warmth: done with ed-$e, 1 nudge cleared" "$dir/messages.txt" ||
    fail "no message for done"

  # No daemon: warmctl's message and exit code shown.
  grep -q "warmth: warmthd is not running (no socket at $dir/no-daemon/warmth/api) (exit 69)" \
    "$dir/messages.txt" || fail "the missing daemon was not reported"
  [ "$failures" -eq 0 ] && echo "ok: $editor ($(("$ended" - "$started")) s)"
done

if [ "$failures" -ne 0 ]; then
  echo "messages:"; cat "$work"/*/messages.txt 2>/dev/null || true
  exit 1
fi
