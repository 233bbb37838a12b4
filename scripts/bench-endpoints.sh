#!/usr/bin/env bash
# Every GET route of the office-MFP API and the main POST routes, with wrk,
# on the scale estate of scripts/seed-scale.sh (seeded first when missing),
# with realistic parameters: the large dealer's key (a tenth of the
# customers), first and deep cursor pages, the large customer (a hundredth
# of the devices) for the usage report, a year for the SLA report; POSTs of
# a contract, a batch of 1 000 readings, a service request and an event.
# Prints a Markdown table: route, req/s, p50, p99, the daemon's CPU per request, non-2xx, daemon RSS after
# the route (VmRSS), and the peak (VmHWM) and cold start at the end.
#
#   scripts/bench-endpoints.sh [FACTOR]          (default 0.1; 16 connections, 5 s a route)
#   CONNECTIONS=4 DURATION=10s scripts/bench-endpoints.sh 0.3
#   NO_BUILD=1 scripts/bench-endpoints.sh        (the release binary as built; no swift build)
# Reports run at REPORT_CONNECTIONS (default 1): their goal is one request's time.
# The seeded database is copied first: the POSTs never change it.
set -euo pipefail
cd "$(dirname "$0")/.."
FACTOR="${1:-0.1}"
DURATION="${DURATION:-5s}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${PORT:-18390}"
SOURCE_DB="${SCALE_DB:-data/scale-$FACTOR.db}"

bash scripts/ensure-wrk.sh
bash scripts/ensure-deps.sh
source scripts/lib/ports.sh
source scripts/lib/listening.sh
require_free_port "$PORT"
[ -f "$SOURCE_DB" ] || SCALE_DB="$SOURCE_DB" bash scripts/seed-scale.sh "$FACTOR" >&2
[ -n "${NO_BUILD:-}" ] || swift build -c release --product service-daemon >&2
REPORT_CONNECTIONS="${REPORT_CONNECTIONS:-1}"

work=$(mktemp -d)
pid=""
wrk_pid=""
cleanup() {
  for p in $wrk_pid $pid; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db="$work/estate.db"
cp "$SOURCE_DB" "$db"
daemon=.build/release/service-daemon
# The estate's ids are fixed (ScaleEstate.id): index 0 is the large dealer and the large customer.
id() { printf '%s_0176b6ca5000%016x' "$1" "$2"; }
dealer=$(id dlr 0); customer=$(id cus 0); contract=$(id con 0)
admin=$($daemon keys create --role admin --db "$db")
dealer_key=$($daemon keys create --role dealer --dealer "$dealer" --db "$db")
# The last dealer: a small one (one of the 499 sharing nine tenths of the customers), its rows spread through the estate's ids.
small_dealer=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT max(id) FROM dealers').fetchone()[0])" "$db")
small_key=$($daemon keys create --role dealer --dealer "$small_dealer" --db "$db")

read -r devices large_devices requests package < <(python3 - "$db" "$customer" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
q = lambda sql, *a: c.execute(sql, a).fetchone()[0]
print(q("SELECT count(*) FROM devices"), q("SELECT count(*) FROM devices WHERE customer_id = ?", sys.argv[2]),
      q("SELECT count(*) FROM service_requests"), q("SELECT implementation_package FROM contracts LIMIT 1"))
PY
)
# Unanswered seeded requests, for the respond events.
python3 - "$db" >"$work/open.txt" <<'PY'
import sqlite3, sys
for (i,) in sqlite3.connect(sys.argv[1]).execute("SELECT id FROM service_requests WHERE state = 'open' ORDER BY id"):
    print(i)
PY
run_id=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT id FROM billing_runs WHERE year = 2025\").fetchone()[0])" "$db")

started=$(date +%s%N)
$daemon serve --host 127.0.0.1 --port "$PORT" --db "$db" --log-level warning 2>"$work/daemon.log" & pid=$!
wait_ready "$PORT" "$pid" || { cat "$work/daemon.log" >&2; exit 1; }
cold_ms=$(( ($(date +%s%N) - started) / 1000000 ))

# A cursor is the last key of the page before it (Cursor in APIRequest.swift). Until
# 2026-12-02 this script base64-encoded it, which the API read as a key sorting before
# every id (or after every serial): its "deep pages" were first pages, or empty.
cursor() { printf '%s' "$1"; }
deep_contract=$(cursor "$(id con $(( devices / 4 / 10 * 9 / 10 )))")
deep_customer=$(cursor "$(id cus $(( devices / 4 / 10 * 9 / 10 )))")
deep_request=$(cursor "$(id srq $(( requests * 9 / 10 )))")
deep_device=$(cursor "$(printf 'SC%08d' $(( large_devices * 9 / 10 )))")
serial=SC00000000
year="from=2025-01-01&to=2025-12-31"

# The daemon's CPU time (user + system) in clock ticks: CPU per request is
# what a route costs, whatever else the machine runs; p99 is not.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
ticks_per_second=$(getconf CLK_TCK)
rss() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status"; }
ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v } else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.0f", v * 1000 } else print v }'; }

echo "| route | parameters | key | connections | req/s | p50 ms | p99 ms | daemon CPU us/request | non-2xx | RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
# Waits until the daemon has used no CPU for 0.3 s (at most 15 s): when wrk stops, the
# requests its connections had in flight are still being served (sixteen batches of
# readings are half a second of writes), and the next row's first requests would
# queue behind them. wrk then adds samples for the stall it saw, so a row's p99 would
# be the previous row's tail.
settle() {
  local before after
  for _ in $(seq 1 50); do
    before=$(cpu_ticks); sleep 0.3; after=$(cpu_ticks)
    [ "$after" -le "$before" ] && return 0
  done
}
# row LABEL PARAMS KEYNAME KEY THREADS wrk-arguments...: one wrk run, one table row.
row() {
  local label=$1 params=$2 keyname=$3 key=$4 threads=$5; shift 5
  local ticks_before
  settle
  ticks_before=$(cpu_ticks)
  wrk -t"$threads" -c"${connections:-$CONNECTIONS}" -d"$DURATION" --latency -H "Authorization: Bearer $key" "$@" >"$work/wrk.out" 2>"$work/wrk.err" &
  wrk_pid=$!
  wait "$wrk_pid"
  wrk_pid=""
  local out rate p50 p99 bad
  out=$(<"$work/wrk.out")
  rate=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  p50=$(ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); bad=${bad:-0}
  local requests cpu
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(awk -v t="$(( $(cpu_ticks) - ticks_before ))" -v n="${requests:-0}" -v hz="$ticks_per_second" \
    'BEGIN { if (n > 0) printf "%.0f", t / hz / n * 1e6; else print "" }')
  echo "| $label | $params | $keyname | ${connections:-$CONNECTIONS} | $rate | $p50 | $p99 | $cpu | $bad | $(rss) |"
  [ -s "$work/wrk.err" ] && sort "$work/wrk.err" | uniq -c | head -3 >&2
  return 0
}
# get LABEL PARAMS KEYNAME KEY PATH: checked once with curl (a 404 would be a fast lie), then measured.
# A page asked for after a cursor must hold items, the first of them after the cursor.
get() {
  local status
  status=$(curl -s -o "$work/body" -w '%{http_code}' -H "Authorization: Bearer $4" "http://127.0.0.1:$PORT$5")
  if [ "$status" != 200 ]; then echo "GET $5: $status $(head -c 300 "$work/body")" >&2; exit 1; fi
  case "$5" in *cursor=*)
    python3 - "$work/body" "${5##*cursor=}" <<'PY' || exit 1
import json, sys
items = json.load(open(sys.argv[1]))["items"]
after = sys.argv[2].split("&")[0]
first = (items[0].get("id") or items[0].get("serial")) if items else None
if first is None or not first > after:
    sys.exit(f"a deep page after {after} starts at {first}: not a deep page")
PY
  esac
  row "$1" "$2" "$3" "$4" "$(( ${connections:-$CONNECTIONS} < 2 ? 1 : 2 ))" "http://127.0.0.1:$PORT$5"
}

base=http://127.0.0.1:$PORT
get "GET /healthz" "" none none /healthz
get "GET /v1/catalogue" "" dealer "$dealer_key" /v1/catalogue
get "GET /v1/dealers/{id}" "large dealer" dealer "$dealer_key" "/v1/dealers/$dealer"
get "GET /v1/dealers" "first page" admin "$admin" /v1/dealers
get "GET /v1/customers/{id}" "large customer" dealer "$dealer_key" "/v1/customers/$customer"
get "GET /v1/customers" "first page" dealer "$dealer_key" /v1/customers
get "GET /v1/customers" "deep page" dealer "$dealer_key" "/v1/customers?cursor=$deep_customer"
get "GET /v1/devices/{serial}" "" dealer "$dealer_key" "/v1/devices/$serial"
get "GET /v1/devices" "large customer, first page" dealer "$dealer_key" "/v1/devices?customer_id=$customer"
get "GET /v1/devices" "large customer, deep page" dealer "$dealer_key" "/v1/devices?customer_id=$customer&cursor=$deep_device"
get "GET /v1/devices/{serial}/usage" "2025 by month" dealer "$dealer_key" "/v1/devices/$serial/usage?$year&granularity=month"
get "GET /v1/contracts/{id}" "large customer's" dealer "$dealer_key" "/v1/contracts/$contract"
get "GET /v1/contracts" "first page" dealer "$dealer_key" /v1/contracts
get "GET /v1/contracts" "deep page" dealer "$dealer_key" "/v1/contracts?cursor=$deep_contract"
get "GET /v1/customers" "small dealer, first page" dealer "$small_key" /v1/customers
get "GET /v1/devices" "small dealer, first page" dealer "$small_key" /v1/devices
get "GET /v1/contracts" "small dealer, first page" dealer "$small_key" /v1/contracts
get "GET /v1/consumable-orders" "small dealer, first page" dealer "$small_key" /v1/consumable-orders
get "GET /v1/contracts" "device, active today" dealer "$dealer_key" "/v1/contracts?device_serial=$serial&active_on=2026-06-01"
get "GET /v1/service-requests/{id}" "" admin "$admin" "/v1/service-requests/$(id srq 1)"
get "GET /v1/service-requests" "first page" dealer "$dealer_key" /v1/service-requests
get "GET /v1/service-requests" "deep page" dealer "$dealer_key" "/v1/service-requests?cursor=$deep_request"
get "GET /v1/service-requests" "overdue" dealer "$dealer_key" "/v1/service-requests?overdue=true"
get "GET /v1/consumable-orders" "first page" dealer "$dealer_key" /v1/consumable-orders
get "GET /v1/consumable-orders/{id}" "" admin "$admin" "/v1/consumable-orders/$(id ord 1)"
connections=$REPORT_CONNECTIONS get "GET /v1/reports/sla" "large dealer, 2025" dealer "$dealer_key" "/v1/reports/sla?$year"
connections=$REPORT_CONNECTIONS get "GET /v1/reports/sla" "all dealers, 2025" admin "$admin" "/v1/reports/sla?$year"
connections=$REPORT_CONNECTIONS get "GET /v1/reports/usage" "large customer ($large_devices devices), 2025" dealer "$dealer_key" "/v1/reports/usage?customer_id=$customer&$year"
get "GET /v1/billing-runs" "2025" admin "$admin" "/v1/billing-runs?year=2025"
get "GET /v1/billing-runs/{id}" "2025" admin "$admin" "/v1/billing-runs/$run_id"
get "GET /v1/billing-runs/{id}/customers" "first page" admin "$admin" "/v1/billing-runs/$run_id/customers"
get "GET /v1/billing-runs/{id}/customers" "small dealer, first page" dealer "$small_key" "/v1/billing-runs/$run_id/customers"
get "GET /v1/billing-runs/{id}/lines" "first page" dealer "$dealer_key" "/v1/billing-runs/$run_id/lines"
get "GET /v1/audit" "first page" admin "$admin" /v1/audit
get "GET /v1/calendar/holidays" "2027" dealer "$dealer_key" "/v1/calendar/holidays?year=2027"
# POSTs: one wrk thread, so that each script's counter is one sequence (unique instants, devices, ids).
KEY="$admin" BATCH_DEVICES=$(( devices < 1000 ? devices : 1000 )) \
  row "POST /v1/meter-readings" "batch of $(( devices < 1000 ? devices : 1000 ))" admin "$admin" 1 -s Benchmarks/endpoints/readings-batch.lua "$base"
KEY="$dealer_key" CUSTOMER="$customer" DEVICES="$large_devices" PACKAGE="$package" \
  row "POST /v1/contracts" "one device, 2027 on" dealer "$dealer_key" 1 -s Benchmarks/endpoints/contract.lua "$base"
KEY="$dealer_key" DEVICES="$large_devices" \
  row "POST /v1/service-requests" "large customer's devices" dealer "$dealer_key" 1 -s Benchmarks/endpoints/service-request.lua "$base"
KEY="$admin" IDS="$work/open.txt" \
  row "POST /v1/service-requests/{id}/events" "respond, $(wc -l <"$work/open.txt") open requests" admin "$admin" 1 -s Benchmarks/endpoints/respond.lua "$base"
peak=$(awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")
size=$(du -m "$SOURCE_DB" | cut -f1)
echo
echo "Factor $FACTOR ($devices devices, $requests service requests, database $size MiB), $CONNECTIONS connections, $DURATION a route;" \
  "cold start to /readyz ${cold_ms} ms; daemon peak RSS $peak MiB."
