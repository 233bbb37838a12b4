#!/usr/bin/env bash
# User-space instructions per request, counted by callgrind: a figure that does
# not move with the host's load, for comparing two builds on one route (wrk's CPU
# per request moved by a third between runs of one binary on the shared host).
#   scripts/bench-instructions.sh DB PATH [KEYFILE] [REQUESTS] [DAEMON]
# e.g. scripts/bench-instructions.sh data/scale-1.db /v1/contracts dealer-key.txt 50
# DAEMON defaults to .build/release/service-daemon. It runs as a copy with its
# debug information stripped (valgrind 3.19 cannot read Swift 6's DWARF), next to
# a copy of the catalogue, on a copy of DB (the daemon migrates what it opens).
# After 20 warm-up requests the counters are zeroed, REQUESTS (default 50)
# requests are made one after another, and the counters are dumped. Needs
# valgrind (apt-get install valgrind); kernel time is not in the figure. The
# daemon's background threads are counted too (the webhook scheduler's poll
# each second, the deadline watcher): about 100 000 instructions a second of
# the run, so repeated counts of a page agree within 2-3 %.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=$1; TARGET=$2; KEYFILE=${3:-}; REQUESTS=${4:-50}; DAEMON=${5:-.build/release/service-daemon}
PORT=${PORT:-18793}
command -v valgrind >/dev/null || { echo "bench-instructions: needs valgrind" >&2; exit 1; }
source scripts/lib/ports.sh
# An answer from whatever else listens on the port would be counted as nothing.
require_free_port "$PORT"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/share/service-daemon"
cp "$DAEMON" "$work/bin/service-daemon"
strip --strip-debug "$work/bin/service-daemon"
cp Resources/packages.json "$work/share/service-daemon/"
cp "$DB" "$work/db.sqlite"
auth=()
[ -n "$KEYFILE" ] && auth=(-H "Authorization: Bearer $(cat "$KEYFILE")")
valgrind --tool=callgrind --callgrind-out-file="$work/out.%p" \
  "$work/bin/service-daemon" serve --host 127.0.0.1 --port "$PORT" --db "$work/db.sqlite" --log-level warning \
  >"$work/daemon.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  kill -0 "$pid" 2>/dev/null || { cat "$work/daemon.log" >&2; echo "bench-instructions: the daemon exited at start-up" >&2; exit 1; }
  curl -fsS --max-time 1 "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
for _ in $(seq 1 20); do curl -s -o /dev/null "${auth[@]}" "http://127.0.0.1:$PORT$TARGET"; done
callgrind_control -z "$pid" >/dev/null 2>&1
urls=()
for _ in $(seq 1 "$REQUESTS"); do urls+=(-o /dev/null "http://127.0.0.1:$PORT$TARGET"); done
curl -s "${auth[@]}" "${urls[@]}"
callgrind_control -d "$pid" >/dev/null 2>&1
sleep 0.5
dump=$(ls -t "$work"/out.*.1 | head -1)
total=$(grep -E "^(summary|totals):" "$dump" | tail -1 | awk '{print $2}')
echo "$TARGET: $((total / REQUESTS)) instructions per request ($REQUESTS requests, user space)"
