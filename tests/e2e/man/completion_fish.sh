#!/usr/bin/env bash
# warmctl's fish completion, sourced in fish: complete -C gives the right
# candidates (contact ids from a real warmthd). Exit 77 (skipped) when fish
# is not installed.
#   completion_fish.sh WARMTHD WARMCTL COMPLETION_FILE(warmctl.fish)
set -euo pipefail

warmthd=$1 warmctl=$2 script=$3
if ! command -v fish >/dev/null; then
  echo "SKIP: fish is not installed (scripts/deps test installs it)"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=daemon.sh
. "$here/daemon.sh"

# offers LINE: the candidates fish completes LINE with, without descriptions.
offers() {
  fish --no-config -c "source '$script'; complete -C '$1'" | cut -f1 | sort | tr '\n' ' ' |
    sed 's/ $//'
}
expect "warmctl lo" "$(offers 'warmctl lo')" "log"
expect "warmctl log --chan" "$(offers 'warmctl log --chan')" "--channel"
expect "warmctl log --channel v" "$(offers 'warmctl log --channel v')" "video voice_message"
expect "warmctl contact " "$(offers 'warmctl contact ')" "add edit rm show"
expect "warmctl nudges --state d" "$(offers 'warmctl nudges --state d')" "dismissed done"
touch "$work/friends.vcf"
expect "warmctl import vcard $work/fr" "$(offers "warmctl import vcard $work/fr")" \
  "$work/friends.vcf"
start_daemon
expect "warmctl done " "$(offers 'warmctl done ')" "alice bob"
[ "$fails" -eq 0 ]
