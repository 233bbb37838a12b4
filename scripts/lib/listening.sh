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

# Waits until GET /readyz on 127.0.0.1:PORT answers 200, polling every 2 ms
# with bash's own /dev/tcp and `read` (no curl: spawning one costs more than
# the daemon's start, and a cold-start figure would measure curl). Fails when
# the daemon exits first or is not ready within 30 s.
#
#   wait_ready "$PORT" "$pid" || exit 1
wait_ready() {
  local port=$1 pid=$2 status="" deadline=$((SECONDS + 30))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
      printf 'GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
      IFS= read -r -t 1 -u 3 status || status=""
      exec 3<&- 3>&-
      [[ $status == "HTTP/1.1 200"* ]] && return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "the daemon exited at start-up" >&2; return 1; }
    sleep 0.002
  done
  echo "the daemon was not ready within 30 s" >&2
  return 1
}
