# Sourced by benchmark scripts that post to one release daemon: builds it,
# makes a work folder ($work) that is removed, with the daemon stopped, when
# the script exits, and defines bench_serve.
source scripts/lib/ports.sh
bash scripts/ensure-deps.sh
swift build -c release --product service-daemon >&2
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# bench_serve PORT [NAME=VALUE...]: a fresh database $db in $work with an
# admin key $key, served on PORT (refused when taken) with the environment
# given, its log in $work/daemon.log; returns once it answers /healthz.
bench_serve() {
  local port=$1
  shift
  db="$work/bench.db"
  .build/release/service-daemon migrate --db "$db" >&2  # only serve and migrate create a database
  key=$(.build/release/service-daemon keys create --role admin --db "$db")
  require_free_port "$port"
  env "$@" .build/release/service-daemon serve --port "$port" --db "$db" --log-level warning 2>"$work/daemon.log" & pid=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
}
