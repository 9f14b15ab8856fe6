#!/usr/bin/env bash
# The mail-client recipes of docs/importers.md, run for real: notmuch's
# post-new hook (clients/mail/hooks/notmuch-post-new) under `notmuch new`,
# and the sendmail wrapper (clients/mail/hooks/sendmail-warmth) as NeoMutt's
# $sendmail in front of a stand-in sendmail that keeps what it is given.
#
#   hooks_test.sh WARMTHD WARMCTL WARMTH_MAIL
#
# Exit 77 (skipped) when notmuch, neomutt or jq is missing.
set -euo pipefail

warmthd=$(realpath "$1") warmctl=$(realpath "$2") warmth_mail=$(realpath "$3")
root=$(cd "$(dirname "$0")/../../.." && pwd)
hooks=$root/clients/mail/hooks

for tool in notmuch neomutt jq; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (scripts/deps test)"; exit 77; }
done

work=$(mktemp -d /tmp/warmth-hooks-XXXXXX)
daemon=
cleanup() {
  [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  [ -f "$work/warmthd.log" ] && { echo "----- warmthd.log"; tail -n 40 "$work/warmthd.log"; }
  exit 1
}

export HOME=$work/home XDG_RUNTIME_DIR=$work/run XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config
mkdir -p "$HOME/bin" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME/warmth"
chmod 700 "$XDG_RUNTIME_DIR"
cat >"$XDG_CONFIG_HOME/warmth/warmth.toml" <<'TOML'
[me]
addresses = ["me@example.org"]
TOML
# The hooks call warmth-mail (and notmuch) by name, as installed.
ln -s "$warmth_mail" "$HOME/bin/warmth-mail"
export PATH=$HOME/bin:$PATH

"$warmthd" >"$work/warmthd.log" 2>&1 &
daemon=$!
for _ in $(seq 100); do "$warmctl" status >/dev/null 2>&1 && break; sleep 0.1; done
"$warmctl" status >/dev/null || fail "warmthd did not start"

# interactions CONTACT: how many interactions the daemon holds for CONTACT.
interactions() {
  "$warmctl" contact show "$1" --json 2>/dev/null | jq -r '.interactionCount | tonumber' || echo 0
}

# --- notmuch: a maildir, `notmuch new`, the post-new hook ---------------------
maildir=$work/mail
mkdir -p "$maildir"/{INBOX,Sent}/{cur,new,tmp}
message() { # FILE FROM TO DATE MESSAGE-ID [EXTRA-HEADER]
  {
    printf 'From: %s\nTo: %s\nDate: %s\nMessage-ID: <%s>\nSubject: hello\n' "$2" "$3" "$4" "$5"
    [ -n "${6:-}" ] && printf '%s\n' "$6"
    printf '\nHello.\n'
  } >"$1"
}
message "$maildir/INBOX/new/1.eml" "Ann Lee <ann@example.com>" "me@example.org" \
  "Mon, 02 Nov 2026 10:00:00 +0000" "a1@example.com"
message "$maildir/Sent/cur/2.eml:2,S" "Me <me@example.org>" "Bo Chen <bo@example.net>" \
  "Tue, 03 Nov 2026 11:00:00 +0000" "b1@example.org"
message "$maildir/INBOX/new/3.eml" "Ann Lee <ann@example.com>" "me@example.org" \
  "Wed, 04 Nov 2026 12:00:00 +0000" "a2@example.com"
message "$maildir/INBOX/new/4.eml" "Cy <cy@example.com>" "list@lists.example.com" \
  "Wed, 04 Nov 2026 12:30:00 +0000" "l1@example.com" "List-Id: <list.lists.example.com>"

export NOTMUCH_CONFIG=$work/notmuch-config
cat >"$NOTMUCH_CONFIG" <<CONF
[database]
path=$maildir
[user]
primary_email=me@example.org
[new]
tags=new;unread;inbox
CONF
notmuch new >"$work/notmuch.log" 2>&1 || fail "notmuch new (initial) failed: $(cat "$work/notmuch.log")"
hook_dir=$(notmuch config get database.hook_dir)
mkdir -p "$hook_dir"
cp "$hooks/notmuch-post-new" "$hook_dir/post-new"
chmod +x "$hook_dir/post-new"
# The hook runs after indexing: remove the database so all four are new.
rm -rf "$maildir/.notmuch/xapian"
notmuch new >"$work/notmuch.log" 2>&1 || fail "notmuch new failed: $(cat "$work/notmuch.log")"

[ "$(interactions ann@example.com)" = 2 ] || fail "ann: want 2 interactions, got $(interactions ann@example.com)"
[ "$(interactions bo@example.net)" = 1 ] || fail "bo: want 1 interaction, got $(interactions bo@example.net)"
[ "$(interactions cy@example.com)" = 0 ] || fail "the list mail was counted"
dir=$("$warmctl" contact show bo@example.net --json | jq -r '.recent[0].direction')
[ "$dir" = OUTBOUND ] || fail "mail from the Sent folder: want OUTBOUND, got $dir"

# New mail arrives; notmuch new runs the hook again: only it is added.
message "$maildir/INBOX/new/5.eml" "Bo Chen <bo@example.net>" "me@example.org" \
  "Thu, 05 Nov 2026 09:00:00 +0000" "b2@example.net"
notmuch new >"$work/notmuch.log" 2>&1 || fail "notmuch new (second) failed"
[ "$(interactions bo@example.net)" = 2 ] || fail "bo after new mail: want 2, got $(interactions bo@example.net)"
[ "$(interactions ann@example.com)" = 2 ] || fail "ann counted twice on the second run"
echo "ok: notmuch post-new hook"

# --- neomutt: the sendmail wrapper in front of a stand-in sendmail -----------
cat >"$work/sendmail" <<'SM'
#!/bin/sh
# Keeps its arguments and the message; exits as $STANDIN_STATUS says.
printf '%s\n' "$@" >"$STANDIN_DIR/args"
cat >"$STANDIN_DIR/message"
exit "${STANDIN_STATUS:-0}"
SM
chmod +x "$work/sendmail"
cp "$hooks/sendmail-warmth" "$HOME/bin/sendmail-warmth"
export WARMTH_SENDMAIL=$work/sendmail STANDIN_DIR=$work
cat >"$work/neomuttrc" <<RC
set from = "Me <me@example.org>"
set use_from = yes
set sendmail = "$HOME/bin/sendmail-warmth"
set record = ""
set copy = no
my_hdr X-Warmth-Tags: pitch
send2-hook . 'unmy_hdr X-Warmth-Tags'
RC
echo "Could we talk next week?" >"$work/body"
neomutt -n -F "$work/neomuttrc" -s "An idea" -- dee@example.com <"$work/body" \
  >"$work/neomutt.log" 2>&1 || fail "neomutt failed: $(cat "$work/neomutt.log")"

grep -qx 'dee@example.com' "$work/args" || fail "sendmail not given the recipient: $(cat "$work/args")"
grep -qi '^X-Warmth-Tags:' "$work/message" && fail "X-Warmth-Tags reached the recipient"
grep -q '^Subject: An idea' "$work/message" || fail "the message lost its subject"
grep -q '^Could we talk next week?' "$work/message" || fail "the message lost its body"
[ "$(interactions dee@example.com)" = 1 ] || fail "dee: want 1 interaction, got $(interactions dee@example.com)"
tags=$("$warmctl" contact show dee@example.com --json | jq -r '.recent[0].tags | join(",")')
case ",$tags," in *,pitch,*) ;; *) fail "the pitch tag was lost: tags '$tags'" ;; esac

# sendmail's failure is neomutt's: the wrapper passes its status on.
status=0
printf 'From: me@example.org\nTo: eve@example.com\nSubject: x\n\nx\n' |
  STANDIN_STATUS=75 "$HOME/bin/sendmail-warmth" -oi eve@example.com || status=$?
[ "$status" = 75 ] || fail "wrapper exit status: want sendmail's 75, got $status"
echo "ok: neomutt sendmail wrapper"
