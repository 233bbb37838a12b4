#!/usr/bin/env bash
# CPS member reads: MEMBERS members (default 100 000) with PRODUCTS registered
# products each (default 10, so a million registrations) seeded straight into
# SQLite, then `GET /v1/cps/members/{id}` (points, level, points to the next
# level, computed as of today from every registration) for random members
# against `GET /healthz` on the same daemon, alternating rounds with wrk.
# Reports req/s and p99 of both and the p99 ratio.
#
#   scripts/bench-cps.sh                     # 64 connections, 2 threads, 10 s, 3 rounds
#   MEMBERS=10000 ROUNDS=1 scripts/bench-cps.sh
#   PACE_MS=2 scripts/bench-cps.sh           # each connection waits 2 ms between requests
#   PACE_MS=10 PACE_JITTER_MS=5 scripts/bench-cps.sh   # waits of 5-15 ms, drawn uniformly: independent
#                                            # clients; without jitter wrk's millisecond timers put
#                                            # the connections in step (BENCHMARKS.md, CPS)
#   DAEMON_CONFIG=settings.json scripts/bench-cps.sh   # the daemon's settings file (e.g. {"db_cache_kib": 8192})
set -euo pipefail
cd "$(dirname "$0")/.."
MEMBERS="${MEMBERS:-100000}"
PRODUCTS="${PRODUCTS:-10}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18280}"
PACE_MS="${PACE_MS:-}"
PACE_JITTER_MS="${PACE_JITTER_MS:-}"
DAEMON_CONFIG="${DAEMON_CONFIG:-}"

source scripts/lib/pacing.sh
pacing_validate
export PACE_MS PACE_JITTER_MS  # read by Benchmarks/lib/pace.lua in wrk

bash scripts/ensure-wrk.sh
source scripts/lib/bench-daemon.sh

db="$work/bench.db"
daemon=.build/release/service-daemon
$daemon migrate --db "$db" >&2
seed_start=$(date +%s)
python3 Benchmarks/cps/seed_members.py "$db" Resources/packages.json "$MEMBERS" "$PRODUCTS" > "$work/ids.txt"
echo "seeded $MEMBERS members x $PRODUCTS products in $(( $(date +%s) - seed_start )) s" >&2
key=$($daemon keys create --role admin --db "$db")
require_free_port "$PORT"
$daemon serve --host 127.0.0.1 --port "$PORT" --db "$db" --log-level warning ${DAEMON_CONFIG:+--config "$DAEMON_CONFIG"} 2>"$work/daemon.log" & pid=$!
for _ in $(seq 1 100); do curl -fsS --max-time 1 "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
sample=$(head -n 1 "$work/ids.txt")
curl -fsS -H "Authorization: Bearer $key" "http://127.0.0.1:$PORT/v1/cps/members/$sample" >&2; echo >&2

# "req/s p99_ms" from wrk's --latency output.
measure() {
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@")
  echo "$out" >&2
  # A run that got errors measured the errors, not the read.
  if echo "$out" | grep -q "Non-2xx or 3xx responses"; then echo "non-2xx answers in the run above" >&2; exit 1; fi
  local rate p99
  rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  pacing_check_rate "$rate" "$CONNECTIONS"
  p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/, "", v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v=v*1000}; print v}')
  echo "$rate $p99"
}

health_args=("http://127.0.0.1:$PORT/healthz")
if [ -n "$PACE_MS" ]; then health_args=(-s Benchmarks/lib/pace.lua "${health_args[@]}"); fi
member_runs=(); health_runs=()
for round in $(seq 1 "$ROUNDS"); do
  member_runs+=("$(IDS="$work/ids.txt" KEY="$key" measure -s Benchmarks/cps/get-member.lua "http://127.0.0.1:$PORT/")")
  health_runs+=("$(measure "${health_args[@]}")")
done
rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
m_rate=$(printf '%s\n' "${member_runs[@]}" | awk '{print $1}' | median)
m_p99=$(printf '%s\n' "${member_runs[@]}" | awk '{print $2}' | median)
h_rate=$(printf '%s\n' "${health_runs[@]}" | awk '{print $1}' | median)
h_p99=$(printf '%s\n' "${health_runs[@]}" | awk '{print $2}' | median)
echo "Command: MEMBERS=$MEMBERS PRODUCTS=$PRODUCTS ROUNDS=$ROUNDS DURATION=$DURATION CONNECTIONS=$CONNECTIONS THREADS=$THREADS$(pacing_describe)${DAEMON_CONFIG:+ DAEMON_CONFIG=$DAEMON_CONFIG ($(tr -d '\n' <"$DAEMON_CONFIG"))} scripts/bench-cps.sh"
echo "| endpoint | runs (req/s, p99 ms) | median req/s | median p99 (ms) |"
echo "|---|---|---|---|"
echo "| GET /v1/cps/members/{id} | $(printf '%s; ' "${member_runs[@]}") | $m_rate | $m_p99 |"
echo "| GET /healthz | $(printf '%s; ' "${health_runs[@]}") | $h_rate | $h_p99 |"
awk -v m="$m_p99" -v h="$h_p99" -v r="$rss" 'BEGIN {printf "p99 ratio member / healthz: %.2fx; daemon peak RSS %.0f MB\n", m / h, r / 1024}'
