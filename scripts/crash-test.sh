#!/usr/bin/env bash
# scripts/crash-test.sh N: N cycles of `kill -9` of a serving daemon while
# it ingests meter-reading batches, takes single writes and runs billing, all
# at once; after each kill the daemon is restarted and must hold every write
# it acknowledged (a 2xx answer), pass PRAGMA integrity_check, leave no
# `running` billing run and bill the year again (201). Each cycle then stops
# the daemon with SIGTERM and expects exit 0.
#
#   scripts/crash-test.sh 20                                  # the release binary (built here)
#   CRASH_TEST_BINARY=.build/debug/service-daemon scripts/crash-test.sh 3   # what scripts/test.sh runs
#
# Loopback only: the daemon listens on 127.0.0.1 port 0 and the port is taken
# from its `listening` log line, then checked with /healthz. Bounded: every
# request has a 20 s limit and the whole run stops after 60 + 30 x N seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/listening.sh
N="${1:-3}"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/crash-test.sh N (cycles, at least 1)" >&2; exit 2; }
bash scripts/ensure-deps.sh
binary="${CRASH_TEST_BINARY:-}"
if [ -z "$binary" ]; then
  swift build -c release --product service-daemon >&2
  binary=.build/release/service-daemon
fi
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
catalogue="$PWD/Resources/packages.json"
deadline=$((SECONDS + 60 + 30 * N))

work=$(mktemp -d)
daemon_pid=""
cleanup() {
  [ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null || true
  jobs -p | xargs -r kill 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
db="$work/crash.db"
fail() { echo "crash-test: FAIL: $*" >&2; [ -f "$work/daemon.log" ] && tail -5 "$work/daemon.log" >&2; exit 1; }
check_time() { [ "$SECONDS" -lt "$deadline" ] || fail "over the time bound"; }

sd() { "$binary" "$@" --db "$db"; }
sql() { sqlite3 -batch -bail "$db" "$@"; }

start_daemon() {
  : >"$work/daemon.log"
  "$binary" serve --host 127.0.0.1 --port 0 --db "$db" --catalogue "$catalogue" --log-level info 2>"$work/daemon.log" &
  daemon_pid=$!
  local address
  address=$(listening_address "$work/daemon.log" "$daemon_pid" crash-test) || fail "no listening address"
  port=${address##*:}
  [ "$(curl -s --max-time 5 "http://127.0.0.1:$port/healthz")" = '{"status":"ok"}' ] || fail "port $port is not our daemon"
}

# call METHOD PATH KEY [BODY] [EXTRA HEADER]: prints the status, then the body.
call() {
  local method=$1 path=$2 key=$3 body=${4:-} extra=${5:-}
  local args=(-s --max-time 20 -o "$work/body.$BASHPID" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $key")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  [ -n "$extra" ] && args+=(-H "$extra")
  curl "${args[@]}" "http://127.0.0.1:$port$path" || echo 000
  echo
  cat "$work/body.$BASHPID" 2>/dev/null || true
}
json_field() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }

echo "crash-test: $N cycles against $binary" >&2
sd migrate >/dev/null
admin=$(sd keys create --role admin)
start_daemon
dealer=$(call POST /v1/dealers "$admin" '{"name": "Crash AS"}' | tail -1 | json_field id)
key=$(call POST "/v1/dealers/$dealer/api-keys" "$admin" | tail -1 | json_field key)
customer=$(call POST /v1/customers "$key" '{"name": "Crash customer"}' | tail -1 | json_field id)
devices=40
serials=()
for d in $(seq 0 $((devices - 1))); do
  serials+=("\"CR-$d\"")
  status=$(call POST /v1/devices "$key" "{\"serial\": \"cr-$d\", \"model\": \"imageRUNNER ADVANCE C3530i\", \"customer_id\": \"$customer\"}" | head -1)
  [ "$status" = 201 ] || fail "device cr-$d: $status"
done
list=$(IFS=,; echo "${serials[*]}")
status=$(call POST /v1/contracts "$key" "{\"customer_id\": \"$customer\", \"device_serials\": [$list], \"tier\": \"standard\",
  \"starts_on\": \"2025-01-01\", \"ends_on\": \"2025-12-31\", \"prepaid\": {\"amount_minor\": 0, \"currency\": \"NOK\"},
  \"implementation_package\": \"standard\", \"options\": [], \"banner_agreed\": false}" | head -1)
[ "$status" = 201 ] || fail "contract: $status"
kill -TERM "$daemon_pid"; wait "$daemon_pid" || fail "clean stop after set-up"; daemon_pid=""

# Batch k of cycle c: every device at 10 instants, minute (c*1000+k)*10+j of
# 2025; counters grow with the minute, so batches never contradict each other.
t0=1735689600  # 2025-01-01T00:00:00Z
batch_body() {
  local c=$1 k=$2 items=() j d minute at
  for j in $(seq 0 9); do
    minute=$(( (c * 1000 + k) * 10 + j ))
    at=$(date -u -d "@$((t0 + minute * 60))" +%Y-%m-%dT%H:%M:%SZ)
    for d in $(seq 0 $((devices - 1))); do
      items+=("{\"device_serial\":\"CR-$d\",\"read_at\":\"$at\",\"bw_a4\":$((minute * 3)),\"bw_a3\":0,\"colour_a4\":$((minute * (d + 1))),\"colour_a3\":0,\"banner_bw\":0,\"banner_colour\":0,\"source\":\"dms\"}")
    done
  done
  local IFS=,
  echo "{\"readings\":[${items[*]}]}"
}
batch_range() {  # first and last read_at (ms) of batch k of cycle c
  local first=$(( (($1 * 1000 + $2) * 10) * 60 + t0 )) last=$(( (($1 * 1000 + $2) * 10 + 9) * 60 + t0 ))
  echo "$((first * 1000)) $((last * 1000))"
}

: >"$work/acked-batches"; : >"$work/acked-customers"; : >"$work/acked-runs"
for c in $(seq 1 "$N"); do
  check_time
  start_daemon
  # Three writers at once, each stopping at its first failed request.
  ( for k in $(seq 0 999); do
      [ "$(call POST /v1/meter-readings "$key" "$(batch_body "$c" "$k")" | head -1)" = 200 ] || break
      echo "$c $k" >>"$work/acked-batches"
    done ) &
  ( for k in $(seq 0 9999); do
      [ "$(call POST /v1/customers "$key" "{\"name\": \"crash-$c-$k\"}" "Idempotency-Key: crash-$c-$k" | head -1)" = 201 ] || break
      echo "crash-$c-$k" >>"$work/acked-customers"
    done ) &
  ( while true; do
      out=$(call POST /v1/billing-runs "$admin" '{"year": 2025, "dry_run": false}')
      case "$(echo "$out" | head -1)" in
        201) echo "$out" | tail -1 | json_field id >>"$work/acked-runs" ;;
        409) ;;  # another run of the year was in progress
        *) break ;;
      esac
    done ) &
  sleep "$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 0.4 + rand() * 1.6 }')"
  kill -9 "$daemon_pid"; wait "$daemon_pid" 2>/dev/null || true; daemon_pid=""
  wait  # the writers end at their first refused connection

  [ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "cycle $c: integrity_check"
  start_daemon
  while read -r bc bk; do
    read -r lo hi < <(batch_range "$bc" "$bk")
    got=$(sql "SELECT count(*) FROM meter_readings WHERE read_at BETWEEN $lo AND $hi")
    [ "$got" = $((devices * 10)) ] || fail "cycle $c: acknowledged batch $bc/$bk has $got of $((devices * 10)) readings"
  done <"$work/acked-batches"
  acked=$(wc -l <"$work/acked-customers")
  names=$(sed "s/.*/'&'/" "$work/acked-customers" | paste -sd, -)
  found=$(sql "SELECT count(*) FROM customers WHERE name IN (${names:-''})")
  [ "$found" = "$acked" ] || fail "cycle $c: $acked customers acknowledged, $found of them stored"
  while read -r run; do
    [ "$(sql "SELECT status FROM billing_runs WHERE id = '$run'")" = completed ] || fail "cycle $c: acknowledged run $run is gone"
  done <"$work/acked-runs"
  out=$(call POST /v1/billing-runs "$admin" '{"year": 2025, "dry_run": false}')
  [ "$(echo "$out" | head -1)" = 201 ] || fail "cycle $c: billing after the crash: $out"
  [ "$(sql "SELECT count(*) FROM billing_runs WHERE status = 'running'")" = 0 ] || fail "cycle $c: a run is left running"
  kill -TERM "$daemon_pid"; wait "$daemon_pid" || fail "cycle $c: stop after the checks did not exit 0"; daemon_pid=""
  echo "crash-test: cycle $c ok: $(wc -l <"$work/acked-batches") batches, $acked customers, $(wc -l <"$work/acked-runs") runs acknowledged so far" >&2
done
echo "crash-test: $N cycles ok in ${SECONDS} s" >&2
