#!/usr/bin/env bash
# Memory soak of a release daemon on loopback, with wrk (installed if missing).
#
#   scripts/soak.sh load      50 keep-alive clients POSTing 100-reading batches to
#                             /v1/meter-readings plus 8 readers (usage, devices,
#                             audit, catalogue) for DURATION seconds, then IDLE seconds
#                             of silence
#   scripts/soak.sh hostile   16 connections sending maximum-size hostile bodies
#                             (4 million array elements, one 8 MiB string, deep
#                             nesting, an over-long batch, an oversized resource write)
#   scripts/soak.sh           both, each against its own fresh daemon
#
# Reports peak RSS (VmHWM), RSS at the end of the load and after IDLE seconds idle,
# all from /proc/PID/status, and checks them against the goals of issue 10:
# load peak <= 96 MiB, idle <= 48 MiB; hostile peak <= 128 MiB, with no 5xx and no
# answer but 4xx to a hostile body. Exits 1 when a goal or a check fails.
#
# Environment (defaults): DURATION=300 (load seconds, 1...3600), CLIENTS=50,
# READERS=8, DEVICES=100 (readings per batch), HOSTILE_CLIENTS=16,
# HOSTILE_DURATION=60, IDLE=30, PORT=0 (0: the kernel picks a free port; any other
# is checked free first), SKIP_BUILD=1 to use the existing release build,
# DAEMON_ENV="SERVICE_DAEMON_X=y ..." extra settings for the daemon, TRIM_PROBE=1
# to see how much of the idle RSS malloc_trim(0) would free (needs gdb).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/listening.sh

MODE="${1:-all}"
DURATION="${DURATION:-300}"
CLIENTS="${CLIENTS:-50}"
READERS="${READERS:-8}"
DEVICES="${DEVICES:-100}"
HOSTILE_CLIENTS="${HOSTILE_CLIENTS:-16}"
HOSTILE_DURATION="${HOSTILE_DURATION:-60}"
IDLE="${IDLE:-30}"
PORT="${PORT:-0}"
LOAD_PEAK_GOAL_KB=$((96 * 1024))
IDLE_GOAL_KB=$((48 * 1024))
HOSTILE_PEAK_GOAL_KB=$((128 * 1024))

case "$MODE" in load|hostile|all) ;; *) echo "usage: scripts/soak.sh [load|hostile|all]" >&2; exit 64 ;; esac
for value in "$DURATION" "$HOSTILE_DURATION" "$IDLE" "$CLIENTS" "$READERS" "$DEVICES" "$HOSTILE_CLIENTS"; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "soak: numeric settings must be whole numbers, got '$value'" >&2; exit 64; }
done
# Bounded whatever the caller asks: the soak must stop by itself.
[ "$DURATION" -ge 1 ] && [ "$DURATION" -le 3600 ] || { echo "soak: DURATION must be 1...3600 s" >&2; exit 64; }
[ "$HOSTILE_DURATION" -ge 1 ] && [ "$HOSTILE_DURATION" -le 3600 ] || { echo "soak: HOSTILE_DURATION must be 1...3600 s" >&2; exit 64; }
[ "$IDLE" -le 600 ] || { echo "soak: IDLE must be at most 600 s" >&2; exit 64; }
[ "$CLIENTS" -ge 1 ] && [ "$CLIENTS" -le 1000 ] && [ "$READERS" -le 1000 ] && [ "$HOSTILE_CLIENTS" -ge 1 ] && [ "$HOSTILE_CLIENTS" -le 256 ] \
  || { echo "soak: CLIENTS 1...1000, READERS 0...1000, HOSTILE_CLIENTS 1...256" >&2; exit 64; }
[ "$DEVICES" -ge 1 ] && [ "$DEVICES" -le 10000 ] || { echo "soak: DEVICES must be 1...10000" >&2; exit 64; }

bash scripts/ensure-wrk.sh
command -v curl >/dev/null 2>&1 || { echo "soak: curl is missing" >&2; exit 1; }
bash scripts/ensure-deps.sh
[ "${SKIP_BUILD:-}" = 1 ] || swift build -c release --product service-daemon >&2
daemon=.build/release/service-daemon

work=$(mktemp -d)
daemon_pid=""
background=()
cleanup() {
  for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

status_kb() { awk -v field="$2:" '$1 == field { print $2 }' "/proc/$1/status"; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f MiB", kb / 1024 }'; }

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts a daemon on a fresh database; sets daemon_pid, base_url, admin_key.
start_daemon() {
  local name="$1" db="$work/$1.db" log="$work/$1.log"
  if [ "$PORT" != 0 ] && ! port_is_free "$PORT"; then
    echo "soak: port $PORT is in use" >&2
    exit 1
  fi
  "$daemon" migrate --db "$db" >/dev/null 2>&1
  admin_key=$("$daemon" keys create --role admin --db "$db")
  # shellcheck disable=SC2086
  env ${DAEMON_ENV:-} "$daemon" serve --port "$PORT" --db "$db" 2>"$log" &
  daemon_pid=$!
  local address
  address=$(listening_address "$log" "$daemon_pid" soak) || exit 1
  base_url="http://$address"
  for _ in $(seq 1 100); do
    curl -fsS "$base_url/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "$base_url/readyz" >/dev/null || { echo "soak: daemon not ready" >&2; exit 1; }
  echo "daemon ($name) pid $daemon_pid at $base_url, RSS after start $(mib "$(status_kb "$daemon_pid" VmRSS)")"
}

stop_daemon() {
  kill "$daemon_pid" 2>/dev/null || true
  wait "$daemon_pid" 2>/dev/null || true
  daemon_pid=""
}

api() {
  curl -fsS -X "$1" -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' ${3:+-d "$3"} "$base_url$2"
}

first_id() { grep -o '"id":"[^"]*"' | head -1 | sed 's/"id":"\(.*\)"/\1/'; }

# Samples RSS every second into $1 until the daemon stops or it is killed.
sample_rss() {
  while kill -0 "$daemon_pid" 2>/dev/null; do
    status_kb "$daemon_pid" VmRSS >>"$1" 2>/dev/null || break
    sleep 1
  done
}

# Idle for IDLE seconds after load; prints and returns the RSS at the end.
idle_rss() {
  sleep "$IDLE"
  status_kb "$daemon_pid" VmRSS
}

# TRIM_PROBE=1: calls malloc_trim(0) in the idle daemon through gdb and reports
# the RSS after it: what it frees was free memory the allocator kept, the rest
# is live. A diagnostic, not part of the goals.
trim_probe() {
  [ "${TRIM_PROBE:-}" = 1 ] || return 0
  command -v gdb >/dev/null 2>&1 || { echo "trim probe: gdb is missing"; return 0; }
  if [ -n "${TRIM_PROBE_INFO:-}" ]; then
    gdb -p "$daemon_pid" -batch -ex "call (int) malloc_info(0, (void *) fopen(\"$TRIM_PROBE_INFO\", \"w\"))" \
      -ex 'call (int) fflush(0)' >/dev/null 2>&1 || true
  fi
  gdb -p "$daemon_pid" -batch -ex 'call (int) malloc_trim(0)' >/dev/null 2>&1 || true
  echo "RSS after malloc_trim(0) through gdb: $(mib "$(status_kb "$daemon_pid" VmRSS)")"
}

wrk_threads() { if [ "$1" -ge 2 ]; then echo 2; else echo 1; fi; }

run_load() {
  start_daemon load
  local dealer customer
  dealer=$(api POST /v1/dealers '{"name": "Soak dealer"}' | first_id)
  customer=$(api POST /v1/customers "{\"name\": \"Soak customer\", \"dealer_id\": \"$dealer\"}" | first_id)
  for d in $(seq 0 $((DEVICES - 1))); do
    api POST /v1/devices "$(printf '{"serial": "SOAK-%05d", "model": "imageRUNNER ADVANCE C3530i", "customer_id": "%s"}' "$d" "$customer")" >/dev/null
  done
  local writer_threads reader_threads
  writer_threads=$(wrk_threads "$CLIENTS")
  cat >"$work/writers.lua" <<'LUA'
-- Each request is one batch: every device at one instant, unique per request
-- across threads. Counters are a rising function of the instant, so any
-- arrival order is valid and every reading is new.
local devices = tonumber(os.getenv("SOAK_DEVICES"))
local threads = tonumber(os.getenv("SOAK_WRITER_THREADS"))
local base = 978307200 -- 2001-01-01T00:00:00Z
local n = 0
local parts = {}
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SOAK_KEY")
wrk.headers["Content-Type"] = "application/json"
local next_id = 0
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end
function request()
  n = n + 1
  local slot = n * threads + tid
  local at = os.date("!%Y-%m-%dT%H:%M:%SZ", base + slot * 60)
  for d = 0, devices - 1 do
    parts[d + 1] = string.format(
      '{"device_serial":"SOAK-%05d","read_at":"%s","bw_a4":%d,"bw_a3":%d,"colour_a4":%d,"colour_a3":%d,"banner_bw":0,"banner_colour":0,"source":"dms"}',
      d, at, slot * 3, slot, slot * 2, slot)
  end
  return wrk.format(nil, "/v1/meter-readings", nil, '{"readings":[' .. table.concat(parts, ",", 1, devices) .. ']}')
end
LUA
  cat >"$work/readers.lua" <<'LUA'
-- Reads what the writers fill: one device's usage over one of the first days,
-- a device, a page of devices and of the audit, the catalogue.
local devices = tonumber(os.getenv("SOAK_DEVICES"))
local customer = os.getenv("SOAK_CUSTOMER")
local n = 0
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SOAK_KEY")
function request()
  n = n + 1
  local serial = string.format("SOAK-%05d", n % devices)
  local kind = n % 5
  local path
  if kind == 0 then
    local day = string.format("2001-01-%02d", 1 + n % 28)
    path = "/v1/devices/" .. serial .. "/usage?from=" .. day .. "&to=" .. day
  elseif kind == 1 then
    path = "/v1/devices/" .. serial
  elseif kind == 2 then
    path = "/v1/devices?customer_id=" .. customer .. "&limit=50"
  elseif kind == 3 then
    path = "/v1/audit?limit=50"
  else
    path = "/v1/catalogue"
  end
  return wrk.format("GET", path)
end
LUA
  local samples="$work/load-rss"
  sample_rss "$samples" & background+=($!)
  echo "load: $CLIENTS batch writers ($DEVICES readings each) and $READERS readers for ${DURATION}s"
  SOAK_KEY="$admin_key" SOAK_DEVICES="$DEVICES" SOAK_WRITER_THREADS="$writer_threads" \
    wrk -t"$writer_threads" -c"$CLIENTS" -d"${DURATION}s" --timeout 30s -s "$work/writers.lua" "$base_url" >"$work/writers.out" 2>&1 &
  local writers=$!
  background+=("$writers")
  local readers=""
  if [ "$READERS" -gt 0 ]; then
    reader_threads=$(wrk_threads "$READERS")
    SOAK_KEY="$admin_key" SOAK_DEVICES="$DEVICES" SOAK_CUSTOMER="$customer" \
      wrk -t"$reader_threads" -c"$READERS" -d"${DURATION}s" --timeout 30s -s "$work/readers.lua" "$base_url" >"$work/readers.out" 2>&1 &
    readers=$!
    background+=("$readers")
  fi
  wait "$writers" || fail "wrk (writers) failed"
  [ -z "$readers" ] || wait "$readers" || fail "wrk (readers) failed"
  local end_kb peak_kb idle_kb
  end_kb=$(status_kb "$daemon_pid" VmRSS)
  idle_kb=$(idle_rss)
  peak_kb=$(status_kb "$daemon_pid" VmHWM)
  echo "writers: $(grep -E 'requests in|Requests/sec|Non-2xx|Socket errors' "$work/writers.out" | tr -s ' ' | paste -sd ';' -)"
  [ -z "$readers" ] || echo "readers: $(grep -E 'requests in|Requests/sec|Non-2xx|Socket errors' "$work/readers.out" | tr -s ' ' | paste -sd ';' -)"
  local batches
  batches=$(awk '/requests in/ { print $1 }' "$work/writers.out")
  echo "readings acknowledged: about $((batches * DEVICES))"
  echo "RSS: peak $(mib "$peak_kb"), end of load $(mib "$end_kb"), after ${IDLE}s idle $(mib "$idle_kb"); max sampled $(mib "$(sort -n "$samples" | tail -1)")"
  trim_probe
  if grep -q 'Non-2xx' "$work/writers.out" "$work/readers.out" 2>/dev/null; then fail "some soak requests were not answered 2xx"; fi
  if grep -q 'Socket errors' "$work/writers.out"; then fail "socket errors under load"; fi
  [ "$peak_kb" -le "$LOAD_PEAK_GOAL_KB" ] || fail "load peak RSS $(mib "$peak_kb") over 96 MiB"
  [ "$idle_kb" -le "$IDLE_GOAL_KB" ] || fail "RSS after ${IDLE}s idle $(mib "$idle_kb") over 48 MiB"
  stop_daemon
}

# Writes a file of exactly $2 bytes: prefix, the unit repeated, suffix.
fill_body() {
  local file="$1" size="$2" prefix="$3" unit="$4" suffix="$5"
  local room=$((size - ${#prefix} - ${#suffix}))
  local count=$((room / ${#unit}))
  {
    printf '%s' "$prefix"
    awk -v unit="$unit" -v count="$count" 'BEGIN { chunk = ""; for (i = 0; i < 1024; i++) chunk = chunk unit;
      for (i = 0; i + 1024 <= count; i += 1024) printf "%s", chunk; for (; i < count; i++) printf "%s", unit }'
    printf '%s' "$suffix"
  } >"$file"
}

run_hostile() {
  start_daemon hostile
  # The largest body the daemon takes on the batch route; everything is sized to it.
  local size="${BODY_BYTES:-}"
  if [ -z "$size" ]; then
    size=$(curl -sS -X POST -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
      -H "Content-Length: 1073741824" --max-time 5 "$base_url/v1/meter-readings" 2>/dev/null \
      | grep -o 'exceeds [0-9]* bytes' | grep -o '[0-9]*' || true)
    size="${size:-8388608}"
  fi
  local reading='{"device_serial":"HOSTILE-1","read_at":"2001-01-01T00:00:00Z","bw_a4":1,"bw_a3":1,"colour_a4":1,"colour_a3":1,"banner_bw":0,"banner_colour":0,"source":"dms"},'
  fill_body "$work/numbers.json" "$size" '{"readings":[' '0,' '0]}'
  fill_body "$work/string.json" "$size" '{"readings":"' 'x' '"}'
  fill_body "$work/nested.json" "$size" '' '[' ''
  fill_body "$work/batch.json" "$size" '{"readings":[' "$reading" '0]}'
  fill_body "$work/objects.json" "$size" '{"readings":[' '{},' '{}]}'
  fill_body "$work/resource.json" "$size" '{"name":"' 'x' '"}'
  cat >"$work/hostile.lua" <<'LUA'
-- Each connection cycles through the hostile bodies; answers are counted by status.
local requests = {}
statuses = {} -- global: done() reads it from each thread
local n = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  local headers = { ["Authorization"] = "Bearer " .. os.getenv("SOAK_KEY"), ["Content-Type"] = "application/json" }
  for spec in string.gmatch(os.getenv("SOAK_BODIES"), "[^ ]+") do
    local path, file = spec:match("([^=]+)=(.+)")
    local handle = assert(io.open(file, "rb"))
    table.insert(requests, wrk.format("POST", path, headers, handle:read("*a")))
    handle:close()
  end
end
function request()
  n = n + 1
  return requests[(n + tid) % #requests + 1]
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + count end
  end
  for status, count in pairs(total) do io.write(string.format("status %d: %d\n", status, count)) end
end
LUA
  local bodies="/v1/meter-readings=$work/numbers.json /v1/meter-readings=$work/string.json /v1/meter-readings=$work/nested.json"
  bodies+=" /v1/meter-readings=$work/batch.json /v1/meter-readings=$work/objects.json /v1/customers=$work/resource.json"
  local samples="$work/hostile-rss"
  sample_rss "$samples" & background+=($!)
  echo "hostile: $HOSTILE_CLIENTS connections of $size-byte bodies for ${HOSTILE_DURATION}s"
  SOAK_KEY="$admin_key" SOAK_BODIES="$bodies" \
    wrk -t"$(wrk_threads "$HOSTILE_CLIENTS")" -c"$HOSTILE_CLIENTS" -d"${HOSTILE_DURATION}s" --timeout 30s -s "$work/hostile.lua" "$base_url" \
    >"$work/hostile.out" 2>&1 || { cat "$work/hostile.out"; fail "wrk (hostile) failed"; }
  local idle_kb peak_kb
  idle_kb=$(idle_rss)
  peak_kb=$(status_kb "$daemon_pid" VmHWM)
  echo "hostile: $(grep -E 'requests in|Socket errors' "$work/hostile.out" | tr -s ' ' | paste -sd ';' -)"
  grep '^status' "$work/hostile.out" | sort || true
  echo "RSS: peak $(mib "$peak_kb"), after ${IDLE}s idle $(mib "$idle_kb"); max sampled $(mib "$(sort -n "$samples" | tail -1)")"
  if grep '^status' "$work/hostile.out" | grep -qv '^status 4'; then fail "a hostile body got an answer other than 4xx"; fi
  grep -q '^status 4' "$work/hostile.out" || fail "no hostile request was answered"
  kill -0 "$daemon_pid" 2>/dev/null || fail "the daemon died"
  [ "$peak_kb" -le "$HOSTILE_PEAK_GOAL_KB" ] || fail "hostile peak RSS $(mib "$peak_kb") over 128 MiB"
  stop_daemon
}

echo "soak on $(nproc) cores, $(uname -srm), $(date -u +%Y-%m-%dT%H:%MZ)"
case "$MODE" in
  load) run_load ;;
  hostile) run_hostile ;;
  all) run_load; run_hostile ;;
esac
if [ "$failures" -gt 0 ]; then
  echo "soak: $failures check(s) failed"
  exit 1
fi
echo "soak: every goal met"
