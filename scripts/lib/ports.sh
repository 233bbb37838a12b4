# Sourced by the benchmark scripts. A benchmark that starts a server on a
# fixed port and then waits for an answer there would take an answer from
# whatever already listens on it (another engineer's daemon) for its own
# server's: refuse to start instead.

# Exits with a message naming the port when something accepts connections on 127.0.0.1:PORT.
require_free_port() {
  local port=$1
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port on 127.0.0.1 is taken by another process; stop it or choose other ports (see the script's header)" >&2
    exit 1
  fi
}
