#!/usr/bin/env bash
# warmth-notify end to end, with real parts only: a private session bus
# (dbus-run-session), an X server (Xvfb), a notification server (dunst), the
# real warmthd and the real warmth-notify. warmctl sets things up and reads
# the daemon's state back; dbus-monitor records every Notify call and signal.
#
#   notify_e2e.sh SCENARIO WARMTHD WARMCTL WARMTH_NOTIFY OUT_DIR
#
# Scenarios:
#   called    a nudge becomes a notification with the right title and actions;
#             the Called action, invoked through dunst, is recorded by the
#             daemon (nudge DONE, warmth up). Saves OUT_DIR/notifier.png.
#   missed    nudges published while the notifier is down are shown exactly
#             once when it starts, and not again after it restarts.
#   restarts  the notifier waits for a missing notification server, and
#             survives the daemon and the notification server restarting.
#   buttons   with notification-daemon, which draws real buttons: a click on
#             "Called" is recorded. Saves OUT_DIR/notifier-buttons.png.
#   closed    nudges handled elsewhere (warmctl: done, dismiss, snooze, a call
#             logged) disappear from the screen: the notifier closes each
#             notification on the server, and shows none of them again.
# Exit 77 (skipped) when a tool is missing.
set -euo pipefail

scenario=$1 warmthd=$2 warmctl_bin=$3 notify=$4 out_dir=$5
here=$(cd "$(dirname "$0")" && pwd)

for tool in dbus-run-session dbus-monitor gdbus Xvfb dunst dunstctl import jq; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed (scripts/deps test installs it)"
    exit 77
  fi
done

if [ -z "${WARMTH_E2E_BUS:-}" ]; then
  # A bus of our own with nothing activatable: no other notification server
  # can be started behind the test's back, and "no server" means no server.
  work=$(mktemp -d /tmp/wn-XXXXXX)
  chmod 700 "$work"
  cat >"$work/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$work</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
  status=0
  WARMTH_E2E_BUS=1 WARMTH_E2E_WORK=$work DISPLAY= \
    dbus-run-session --config-file="$work/bus.conf" -- "$0" "$@" || status=$?
  rm -rf "$work"
  exit $status
fi

work=$WARMTH_E2E_WORK
pids=()
cleanup() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  # Keep the logs next to the screenshot for a look after the run.
  mkdir -p "$out_dir/$scenario"
  for log in notify.log warmthd.log dunst.log monitor.txt; do
    [ -f "$work/$log" ] && cp "$work/$log" "$out_dir/$scenario/"
  done
  true
}
trap cleanup EXIT

fail() {
  echo "FAIL ($scenario): $*"
  for log in notify.log warmthd.log dunst.log monitor.txt; do
    [ -f "$work/$log" ] && { echo "----- $log"; tail -n 80 "$work/$log"; }
  done
  exit 1
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls every 0.1 s.
wait_for() {
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -ge $deadline ] && fail "timed out after ${limit}s waiting for: $what"
    sleep 0.1
  done
}

# --- X server and notification server -------------------------------------
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
pids+=($!)
wait_for 10 "Xvfb to start" test -s "$work/display"
export DISPLAY=":$(cat "$work/display")"

# dunst runs this as its menu (`dunstctl context`), offering lines such as
# "#Called (Time to call Bob Stone) [2,called]"; it picks the line for the
# title and action key written to $work/want.
cat >"$work/dmenu.sh" <<'MENU'
#!/bin/sh
want=$(cat "$WARMTH_E2E_WORK/want")
tee "$WARMTH_E2E_WORK/menu.txt" | grep -F "(${want%|*}) [" | grep -m1 -F ",${want#*|}]"
MENU
chmod +x "$work/dmenu.sh"
icons=/usr/share/icons/Adwaita/48x48
cat >"$work/dunstrc" <<RC
[global]
    font = DejaVu Sans 11
    width = 440
    origin = top-right
    offset = 16x16
    padding = 12
    horizontal_padding = 12
    frame_width = 2
    frame_color = "#89b4fa"
    icon_position = left
    max_icon_size = 48
    icon_path = $icons/legacy:$icons/apps:$icons/status
    dmenu = $work/dmenu.sh
    format = "<b>%s</b>\n%b"
[urgency_normal]
    background = "#1e1e2e"
    foreground = "#cdd6f4"
    timeout = 0
[urgency_critical]
    background = "#1e1e2e"
    foreground = "#cdd6f4"
    frame_color = "#f38ba8"
    timeout = 0
RC

server_up() {
  gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
    -m org.freedesktop.DBus.NameHasOwner org.freedesktop.Notifications 2>/dev/null | grep -q true
}
dunst_pid=
start_dunst() {
  dunst -config "$work/dunstrc" >>"$work/dunst.log" 2>&1 &
  dunst_pid=$!
  pids+=($dunst_pid)
  wait_for 10 "dunst to own org.freedesktop.Notifications" server_up
}
stop_dunst() {
  kill "$dunst_pid"
  wait "$dunst_pid" 2>/dev/null || true
  wait_for 10 "dunst to leave the bus" bash -c '! gdbus call --session -d org.freedesktop.DBus \
    -o /org/freedesktop/DBus -m org.freedesktop.DBus.NameHasOwner \
    org.freedesktop.Notifications | grep -q true'
}

dbus-monitor --session "type='method_call',interface='org.freedesktop.Notifications'" \
  "type='signal',interface='org.freedesktop.Notifications'" >"$work/monitor.txt" 2>&1 &
pids+=($!)
wait_for 10 "dbus-monitor to start" test -s "$work/monitor.txt"

# --- warmthd, warmctl, warmth-notify ---------------------------------------
cfg=$work/warmth.toml
cat >"$cfg" <<TOML
timezone = "UTC"
[api]
endpoint = "ipc://$work/api"
publish = "ipc://$work/nudges"
[delivery]
quiet_hours = ""
max_per_day = 0
[notify]
snooze = "2d"
TOML
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data

warmctl() { "$warmctl_bin" --config "$cfg" "$@"; }
daemon_pid=
start_daemon() {
  "$warmthd" --config "$cfg" --data-dir "$work/data" >>"$work/warmthd.log" 2>&1 &
  daemon_pid=$!
  pids+=($daemon_pid)
  wait_for 10 "warmthd to answer" bash -c "'$warmctl_bin' --config '$cfg' status >/dev/null 2>&1"
}
stop_daemon() {
  kill "$daemon_pid"
  wait "$daemon_pid" 2>/dev/null || true
}
notify_pid=
start_notifier() {
  echo "=== warmth-notify starts" >>"$work/notify.log"
  "$notify" --config "$cfg" --log-level debug >>"$work/notify.log" 2>&1 &
  notify_pid=$!
  pids+=($notify_pid)
}
stop_notifier() {
  kill "$notify_pid"
  local status=0
  wait "$notify_pid" || status=$?
  [ $status -eq 0 ] || fail "warmth-notify exited with $status on SIGTERM"
}
alive() { kill -0 "$notify_pid" 2>/dev/null || fail "warmth-notify exited on its own"; }
# The log of the notifier started last.
last_log() { awk '/^=== warmth-notify starts/ {buf = ""} {buf = buf $0 "\n"} END {printf "%s", buf}' \
  "$work/notify.log"; }
logged() { last_log | grep -qF -- "$1"; }
# The notifier asks for pending nudges again a second after connecting (see
# notifier.cc); true once that answer is in.
settled() { last_log | awk '/settling after/ {s = 1} s && /pending nudge\(s\)/ {ok = 1} END {exit !ok}'; }

# An inner-circle contact met in person just under 7 days ago: warmth 60
# decays to the threshold 30 in SECONDS seconds and a COOLING nudge goes out.
cools_in() {
  local id=$1 name=$2 secs=$3
  warmctl contact add "$id" --name "$name" --circle inner >/dev/null
  warmctl log "$id" --channel in_person \
    --at "$(date -u -d "@$(($(date +%s) - 7 * 86400 + secs))" +%FT%TZ)" >/dev/null
}

# How many Notify calls carried this summary (dbus-monitor prints each
# argument on its own line).
notify_count() { grep -cxF "   string \"$1\"" "$work/monitor.txt" || true; }
shown_times() { [ "$(notify_count "$1")" -eq "$2" ]; }
pending_count() { warmctl --json nudges | jq '.nudges | length'; }

# choose TITLE KEY: picks that action of that notification from dunst's
# context menu; waits until dunst sends the ActionInvoked signal.
choose() {
  local invoked
  invoked=$(grep -cxF "   string \"$2\"" "$work/monitor.txt" || true)
  printf '%s|%s' "$1" "$2" >"$work/want"
  rm -f "$work/menu.txt"
  dunstctl context
  wait_for 10 "dunst's menu to offer $2 for $1" grep -qsF "($1) [" "$work/menu.txt"
  wait_for 10 "ActionInvoked $2" bash -c \
    "[ \$(grep -cxF '   string \"$2\"' '$work/monitor.txt') -gt $invoked ]"
}
# state_is CONTACT STATE: that contact's latest nudge is in that state.
state_is() {
  [ "$(warmctl --json nudges --all --contact "$1" | jq -r '.nudges[0].state')" = "$2" ]
}

# The Notify call with this summary: from its "member=Notify" line to its
# expire timeout.
notify_call() {
  awk -v want="   string \"$1\"" '
    /member=Notify$/ {block = $0 "\n"; inside = 1; next}
    inside {block = block $0 "\n"}
    inside && $0 == want {found = 1}
    inside && /^   int32 / {if (found) {printf "%s", block; exit} inside = 0}
  ' "$work/monitor.txt"
}

case "$scenario" in
called)
  start_dunst
  start_daemon
  start_notifier
  wait_for 10 "the notifier to find dunst" logged "showing notifications through dunst"
  cools_in bob "Bob Stone" 2
  wait_for 20 "the notification for Bob" shown_times "Time to call Bob Stone" 1

  call=$(notify_call "Time to call Bob Stone")
  expected_args=(
    '   string "warmth"'
    '   string "call-start"'
    "   string \"It's been 7 days since you talked with Bob Stone. Time to pick up the phone.\""
    '      string "called"' '      string "Called"'
    '      string "snooze"' '      string "Snooze 2 days"'
    '      string "dismiss"' '      string "Dismiss"'
    '         string "urgency"'
  )
  for arg in "${expected_args[@]}"; do
    grep -qxF -- "$arg" <<<"$call" || fail "Notify call lacks [$arg]:
$call"
  done
  grep -qE 'variant +byte 1$' <<<"$call" || fail "urgency is not normal (1): $call"
  [ "$(dunstctl count displayed)" -ge 1 ] || fail "dunst displays nothing"

  mkdir -p "$out_dir"
  sleep 0.5  # let dunst finish drawing
  import -window root "$out_dir/notifier-screen.png"
  # Just the notification (the rest of the screen is black), for the docs.
  convert "$out_dir/notifier-screen.png" -trim +repage -bordercolor black -border 8 \
    "$out_dir/notifier.png"

  nudge=$(warmctl --json nudges | jq -r '.nudges[0].id')
  before=$(warmctl --json contact show bob | jq '.warmth')
  # Called, chosen from dunst's context menu: dunst sends ActionInvoked.
  choose "Time to call Bob Stone" called
  wait_for 10 "the daemon to record the call" bash -c \
    "'$warmctl_bin' --config '$cfg' --json nudges --state done | jq -e '.nudges[]? | select(.id == \"$nudge\")' >/dev/null"
  [ "$(pending_count)" -eq 0 ] || fail "nudges still pending after Called"
  after=$(warmctl --json contact show bob | jq '.warmth')
  # From about 30 a call (gain 45) lifts warmth by about 31.
  jq -en "$after > $before + 25" >/dev/null || fail "warmth did not rise: $before -> $after"
  last=$(warmctl --json contact show bob | jq -r '.recent[0].channel')
  [ "$last" = CALL ] || fail "the recorded interaction is $last, not CALL"
  wait_for 5 "the notifier to log the call" logged "recorded Called for nudge $nudge"

  # Snooze and Dismiss, the same way.
  cools_in gil "Gil Ho" 1
  cools_in hal "Hal Roe" 1
  wait_for 20 "Gil's notification" shown_times "Time to call Gil Ho" 1
  wait_for 20 "Hal's notification" shown_times "Time to call Hal Roe" 1
  choose "Time to call Gil Ho" snooze
  wait_for 10 "the daemon to record the snooze" state_is gil SNOOZED
  until_s=$(date -d "$(warmctl --json nudges --contact gil --state snoozed | jq -r '.nudges[0].snoozedUntil')" +%s)
  left=$((until_s - $(date +%s)))
  # [notify] snooze = "2d"
  [ $left -gt $((2 * 86400 - 120)) ] && [ $left -le $((2 * 86400)) ] ||
    fail "snoozed for ${left}s, not 2 days"
  choose "Time to call Hal Roe" dismiss
  wait_for 10 "the daemon to record the dismissal" state_is hal DISMISSED
  [ "$(pending_count)" -eq 0 ] || fail "nudges still pending after Snooze and Dismiss"
  alive
  stop_notifier
  echo "PASS called: shown; Called ($nudge: warmth $before -> $after), Snooze and Dismiss recorded"
  ;;

missed)
  start_dunst
  start_daemon
  cools_in ann "Ann Lee" 1
  cools_in cy "Cy Twombly" 1
  wait_for 20 "two pending nudges" bash -c "[ \"\$('$warmctl_bin' --config '$cfg' --json nudges | jq '.nudges | length')\" = 2 ]"
  [ "$(grep -c 'member=Notify$' "$work/monitor.txt" || true)" -eq 0 ] || fail "shown without a notifier?"

  start_notifier
  wait_for 20 "Ann's notification" shown_times "Time to call Ann Lee" 1
  wait_for 20 "Cy's notification" shown_times "Time to call Cy Twombly" 1
  wait_for 10 "the list a second after connecting" settled
  shown_times "Time to call Ann Lee" 1 || fail "Ann shown $(notify_count "Time to call Ann Lee") times"
  shown_times "Time to call Cy Twombly" 1 || fail "Cy shown $(notify_count "Time to call Cy Twombly") times"
  stop_notifier

  start_notifier
  wait_for 10 "the restarted notifier to list" logged "2 pending nudge(s), 0 not shown before"
  wait_for 10 "its list a second after connecting" settled
  shown_times "Time to call Ann Lee" 1 || fail "Ann shown again after a restart"
  shown_times "Time to call Cy Twombly" 1 || fail "Cy shown again after a restart"
  grep -q '^cool-' "$XDG_STATE_HOME/warmth/notify-shown" || fail "no shown ids in \$XDG_STATE_HOME/warmth"
  alive
  stop_notifier
  echo "PASS missed: 2 nudges published while down, each shown once, none after a restart"
  ;;

restarts)
  start_daemon
  # No notification server at all: the notifier says so and waits.
  start_notifier
  wait_for 10 "the no-server line" logged "no notification server on the session bus"
  cools_in dee "Dee Dee" 1
  wait_for 20 "Dee's nudge to reach the notifier" logged " published" 
  wait_for 20 "the pending nudge" bash -c "[ \"\$('$warmctl_bin' --config '$cfg' --json nudges | jq '.nudges | length')\" = 1 ]"
  sleep 0.5
  shown_times "Time to call Dee Dee" 0 || fail "shown without a server?"
  start_dunst
  wait_for 10 "Dee's notification once dunst is up" shown_times "Time to call Dee Dee" 1
  alive

  # The daemon restarts: one line each way, and new nudges still arrive.
  stop_daemon
  wait_for 10 "the daemon-gone line" logged "warmthd went away"
  start_daemon
  wait_for 10 "the daemon-back line" logged "warmthd is back"
  cools_in eve "Eve Arden" 1
  wait_for 20 "Eve's notification" shown_times "Time to call Eve Arden" 1
  alive

  # dunst restarts: what it had on screen is shown again by the new one,
  # and new nudges still arrive.
  stop_dunst
  wait_for 10 "the server-gone line" logged "the notification server went away"
  alive
  start_dunst
  wait_for 10 "the server-back line" logged "again showing notifications through dunst"
  wait_for 10 "Dee shown again by the new dunst" shown_times "Time to call Dee Dee" 2
  wait_for 10 "Eve shown again by the new dunst" shown_times "Time to call Eve Arden" 2
  cools_in fay "Fay Wray" 1
  wait_for 20 "Fay's notification" shown_times "Time to call Fay Wray" 1
  alive
  stop_notifier
  echo "PASS restarts: waited for a server, survived warmthd and dunst restarting"
  ;;

buttons)
  # A server that draws real buttons (Debian's notification-daemon): the
  # README's screenshot, and a real click on "Called".
  nd=/usr/lib/notification-daemon/notification-daemon
  if [ ! -x $nd ] || ! command -v xdotool >/dev/null; then
    echo "SKIP: notification-daemon or xdotool is not installed (scripts/deps test installs them)"
    exit 77
  fi
  $nd >"$work/notification-daemon.log" 2>&1 &
  pids+=($!)
  wait_for 10 "notification-daemon to own org.freedesktop.Notifications" server_up
  start_daemon
  start_notifier
  wait_for 10 "the notifier to find the server" logged "showing notifications through Notification Daemon"
  cools_in bob "Bob Stone" 1
  wait_for 20 "the notification for Bob" shown_times "Time to call Bob Stone" 1
  wait_for 10 "the notification window" bash -c "xdotool search --onlyvisible --name '^Notification$' >/dev/null"
  win=$(xdotool search --onlyvisible --name '^Notification$' | head -n1)
  sleep 0.5  # let it finish drawing
  mkdir -p "$out_dir"
  import -window root "$out_dir/notifier-buttons-screen.png"
  eval "$(xdotool getwindowgeometry --shell "$win")"  # X, Y, WIDTH, HEIGHT
  import -window root -crop "$((WIDTH + 16))x$((HEIGHT + 16))+$((X - 8))+$((Y - 8))" \
    "$out_dir/notifier-buttons.png"
  # Find the buttons: the lowest row of dark (text) pixels inside the
  # frame, split into labels at gaps; the first label is "Called".
  import -window "$win" "$work/window.png"
  dark=$(convert "$work/window.png" -colorspace gray -threshold 40% txt:- |
    awk -F'[,: ]+' -v w="$WIDTH" -v h="$HEIGHT" \
      '/#000000/ && $1 > 16 && $1 < w - 16 && $2 > 16 && $2 < h - 16 {print $1, $2}')
  maxy=$(awk '$2 > m {m = $2} END {print m + 0}' <<<"$dark")
  click_x=$(awk -v y0=$((maxy - 14)) '$2 > y0 {print $1}' <<<"$dark" | sort -n | uniq |
    awk 'NR == 1 {first = $1; last = $1; next} $1 - last > 12 {exit} {last = $1}
         END {if (NR) print int((first + last) / 2)}')
  click_y=$((maxy - 5))
  [ -n "$click_x" ] || fail "no buttons found in the notification window"
  nudge=$(warmctl --json nudges | jq -r '.nudges[0].id')
  xdotool mousemove --window "$win" "$click_x" "$click_y" click 1
  wait_for 10 "ActionInvoked called (clicked at $click_x,$click_y)" \
    grep -qxF '   string "called"' "$work/monitor.txt"
  wait_for 10 "the daemon to record the call" state_is bob DONE
  alive
  stop_notifier
  echo "PASS buttons: clicked Called on a real button; $nudge is DONE"
  ;;

closed)
  # Another machine acts on the nudges shown here (warmctl stands for its
  # notifier or command line): warmthd publishes each change as
  # nudge.closed, and this notifier closes the notification on the server.
  start_dunst
  start_daemon
  start_notifier
  wait_for 10 "the notifier to find dunst" logged "showing notifications through dunst"
  # Past the notifier's second ListNudges: only nudge.closed can close them.
  wait_for 10 "the list a second after connecting" settled
  cools_in ivy "Ivy Lee" 1
  cools_in jo "Jo March" 1
  cools_in kim "Kim Novak" 1
  cools_in lou "Lou Reed" 1
  for who in "Ivy Lee" "Jo March" "Kim Novak" "Lou Reed"; do
    wait_for 20 "the notification for $who" shown_times "Time to call $who" 1
  done
  displayed() { [ "$(dunstctl count displayed)" -eq "$1" ]; }
  # dunst keeps what was closed in its history.
  closed_on_screen() {
    dunstctl history | jq -e --arg s "$1" '[.data[][] | .summary.data] | index($s) != null' >/dev/null
  }
  wait_for 5 "four notifications on screen" displayed 4
  gone() { # WHAT SUMMARY LEFT
    wait_for 5 "the notification for $2 to close after $1" closed_on_screen "$2"
    wait_for 5 "$3 notification(s) left on screen after $1" displayed "$3"
  }

  warmctl done ivy >/dev/null
  gone "done" "Time to call Ivy Lee" 3
  warmctl dismiss "$(warmctl --json nudges --contact jo | jq -r '.nudges[0].id')" >/dev/null
  gone "dismiss" "Time to call Jo March" 2
  warmctl log kim --channel call >/dev/null  # a live interaction settles it
  gone "a call logged" "Time to call Kim Novak" 1
  warmctl snooze lou 2d >/dev/null
  gone "snooze" "Time to call Lou Reed" 0

  closes=$(grep -c 'member=CloseNotification$' "$work/monitor.txt" || true)
  [ "$closes" -eq 4 ] || fail "$closes CloseNotification calls, not 4"
  for who in "Ivy Lee" "Jo March" "Kim Novak" "Lou Reed"; do
    shown_times "Time to call $who" 1 || fail "$who shown $(notify_count "Time to call $who") times"
  done
  alive
  stop_notifier
  echo "PASS closed: done, dismiss, a call and snooze from elsewhere closed 4 notifications"
  ;;

*)
  echo "unknown scenario $scenario" >&2
  exit 2
  ;;
esac
