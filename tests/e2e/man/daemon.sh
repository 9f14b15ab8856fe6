# Sourced by the completion tests: a real warmthd in a temp dir with two
# contacts, stopped on exit. Needs $warmthd and $warmctl; sets $work.
work=$(mktemp -d)
daemon_pid=
stop_daemon() {
  if [ -n "$daemon_pid" ]; then
    kill "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_daemon EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
export XDG_STATE_HOME=$work/state XDG_RUNTIME_DIR=$work/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# warmctl by its name, as a user types it: the scripts run it for contact ids.
mkdir -p "$work/bin"
ln -s "$warmctl" "$work/bin/warmctl"
export PATH=$work/bin:$PATH

start_daemon() {
  "$warmthd" >"$work/warmthd.log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 100); do
    warmctl status >/dev/null 2>&1 && break
    sleep 0.1
  done
  warmctl status >/dev/null
  warmctl contact add alice --name "Alice Ng" --circle close >/dev/null
  warmctl contact add bob --name "Bob Stone" --circle inner >/dev/null
}

fails=0
# expect WHAT GOT WANTED
expect() {
  if [ "$2" == "$3" ]; then
    echo "ok: $1 -> $2"
  else
    echo "FAIL: $1: got '$2', wanted '$3'"
    fails=$((fails + 1))
  fi
}
