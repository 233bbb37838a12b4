# Sourced by scripts that start the daemon on a port it picks (`--port 0`)
# or on a given one: waits for its `listening` log line and prints the
# address it reports (host:port). Fails, with the log, when the daemon exits
# first or has not reported within 30 s.
#
#   address=$(listening_address "$log" "$daemon_pid" soak)
listening_address() {
  local log=$1 pid=$2 name=$3 address=""
  for _ in $(seq 1 300); do
    address=$(grep -o '"msg":"listening".*"address":"[^"]*"' "$log" 2>/dev/null | sed 's/.*"address":"\([^"]*\)"/\1/' | head -1 || true)
    [ -n "$address" ] && { echo "$address"; return 0; }
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "$name: the daemon exited at start-up" >&2; return 1; }
    sleep 0.1
  done
  cat "$log" >&2
  echo "$name: the daemon did not report its address within 30 s" >&2
  return 1
}
