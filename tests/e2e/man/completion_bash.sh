#!/usr/bin/env bash
# warmctl's bash completion, sourced in bash: COMPREPLY for words typed, with
# contact ids from a real warmthd.
#   completion_bash.sh WARMTHD WARMCTL COMPLETION_FILE
set -euo pipefail

warmthd=$1 warmctl=$2 script=$3
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=daemon.sh
. "$here/daemon.sh"
# shellcheck disable=SC1090
. "$script"

# reply WORD...: the sorted COMPREPLY for the cursor at the end of the last word.
reply() {
  (
    set +eu
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _warmctl
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
  )
}

expect "warmctl lo" "$(reply warmctl lo)" "log"
expect "warmctl log --chan" "$(reply warmctl log --chan)" "--channel"
expect "warmctl log --channel v" "$(reply warmctl log --channel v)" "video voice_message"
expect "warmctl log bob -c " "$(reply warmctl log bob -c '')" \
  "call email in_person letter message social video voice_message"
expect "warmctl log --direction " "$(reply warmctl log --direction '')" "inbound mutual outbound"
expect "warmctl contact " "$(reply warmctl contact '')" "add edit rm show"
expect "warmctl contact add bob --circle " "$(reply warmctl contact add bob --circle '')" \
  "acquaintance close inner network unsorted"
expect "warmctl --json contact edit bob --cir" "$(reply warmctl --json contact edit bob --cir)" \
  "--circle"
expect "warmctl nudges --state " "$(reply warmctl nudges --state '')" \
  "dismissed done pending snoozed"
expect "warmctl watch --kind c" "$(reply warmctl watch --kind c)" "call_back cooling"
expect "warmctl trip " "$(reply warmctl trip '')" "add list rm"
expect "warmctl comp (hidden)" "$(reply warmctl comp)" ""
touch "$work/friends.vcf" "$work/other.vcf"
expect "warmctl import vcard $work/fr" "$(reply warmctl import vcard "$work/fr")" \
  "$work/friends.vcf"
expect "warmctl log  (no daemon)" "$(reply warmctl log '')" ""
expect "warmctl completion ids (no daemon)" "$(warmctl completion ids)" ""

start_daemon
expect "warmctl log " "$(reply warmctl log '')" "alice bob"
expect "warmctl log alice b" "$(reply warmctl log alice b)" "bob"
expect "warmctl contact edit a" "$(reply warmctl contact edit a)" "alice"
expect "warmctl snooze " "$(reply warmctl snooze '')" "alice bob"
expect "warmctl contact add  (a new id)" "$(reply warmctl contact add '')" ""
[ "$fails" -eq 0 ]
