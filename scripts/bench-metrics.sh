#!/usr/bin/env bash
# The cost of metrics per request: one release binary served twice, metrics
# off and on (metrics_port set), each with its own database and admin key,
# loaded with wrk in alternating rounds so drift on the machine hits both.
#
#   scripts/bench-metrics.sh                          # GET /v1/catalogue: authentication, a read, the worker pool
#   PATH_UNDER_TEST=/healthz scripts/bench-metrics.sh # the event loop alone
#   ROUNDS=5 DURATION=20s CONNECTIONS=64 scripts/bench-metrics.sh
#   BINARY=/path/to/service-daemon scripts/bench-metrics.sh   # skip the build
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-8s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
PATH_UNDER_TEST="${PATH_UNDER_TEST:-/v1/catalogue}"

bash scripts/ensure-wrk.sh
if [ -z "${BINARY:-}" ]; then
  bash scripts/ensure-deps.sh
  swift build -c release --product service-daemon >&2
  BINARY=.build/release/service-daemon
fi

workdir=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$workdir"
}
trap cleanup EXIT

declare -A key port
for side in off on; do
  "$BINARY" migrate --db "$workdir/$side.db" >/dev/null
  key[$side]=$("$BINARY" keys create --role admin --db "$workdir/$side.db")
done
port[off]=18090
port[on]=18091
source scripts/lib/ports.sh
for p in "${port[off]}" "${port[on]}" 18092; do require_free_port "$p"; done
"$BINARY" serve --port "${port[off]}" --db "$workdir/off.db" 2>/dev/null & pids+=($!)
"$BINARY" serve --port "${port[on]}" --metrics-port 18092 --db "$workdir/on.db" 2>/dev/null & pids+=($!)
for side in off on; do
  for _ in $(seq 1 100); do curl -fsS --max-time 1 "http://127.0.0.1:${port[$side]}/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
done

echo "| round | metrics | requests/s | p99 |"
echo "|---|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  for side in off on; do
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer ${key[$side]}" \
      "http://127.0.0.1:${port[$side]}$PATH_UNDER_TEST")
    echo "| $round | $side | $(echo "$out" | awk '/Requests\/sec/ {print $2}') | $(echo "$out" | awk '$1 == "99%" {print $2}') |"
  done
done
# The requests the metrics side counted, as a check that it counted them.
curl -fsS http://127.0.0.1:18092/metrics | grep -E '^http_requests_total' || true
