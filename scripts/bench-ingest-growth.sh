#!/usr/bin/env bash
# Ingestion into an empty and a large meter-readings table, side by side:
# batches of 1 000 readings (Benchmarks/endpoints/readings-batch.lua) posted
# for DURATION into a fresh copy of each database, ROUNDS times alternating,
# with the daemon's CPU (user + system) per batch. Issue 17's goal: ingestion
# into the 12-million-row table within 10 % of ingestion into an empty one.
#
# Given one database, the empty one is the same estate with its readings
# deleted (and vacuumed), so the readings table is all that differs; given
# two, the first is the small one.
#
#   scripts/bench-ingest-growth.sh LARGE.db                (seeded by scripts/seed-scale.sh)
#   ROUNDS=5 DURATION=8s scripts/bench-ingest-growth.sh data/scale-1.db
#   scripts/bench-ingest-growth.sh SMALL.db LARGE.db
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || [ $# -eq 2 ] || { echo "usage: $0 LARGE.db | SMALL.db LARGE.db" >&2; exit 2; }
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
PORT="${PORT:-18391}"
bash scripts/ensure-wrk.sh
source scripts/lib/ports.sh
source scripts/lib/listening.sh
require_free_port "$PORT"
[ -n "${NO_BUILD:-}" ] || swift build -c release --product service-daemon >&2
daemon=.build/release/service-daemon
work=$(mktemp -d)
pid=""
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

if [ $# -eq 1 ]; then
  empty="$work/$(basename "$1" .db)-no-readings.db"
  cp "$1" "$empty"
  python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM meter_readings'); c.commit(); c.execute('VACUUM')" "$empty"
  set -- "$empty" "$1"
fi

echo "| database | readings before | round | batches | daemon CPU ms/batch | p50 ms |"
echo "|---|---|---|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  for source in "$1" "$2"; do
    db="$work/estate.db"
    rm -f "$db" "$db-wal" "$db-shm"
    cp "$source" "$db"
    before=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM meter_readings').fetchone()[0])" "$db")
    key=$($daemon keys create --role admin --db "$db")
    $daemon serve --host 127.0.0.1 --port "$PORT" --db "$db" --log-level warning ${DAEMON_CONFIG:+--config "$DAEMON_CONFIG"} 2>"$work/daemon.log" & pid=$!
    wait_ready "$PORT" "$pid" || { cat "$work/daemon.log" >&2; exit 1; }
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    out=$(KEY="$key" BATCH_DEVICES=1000 wrk -t1 -c1 -d"$DURATION" --latency -s Benchmarks/endpoints/readings-batch.lua "http://127.0.0.1:$PORT")
    used=$(( $(awk '{print $14 + $15}' "/proc/$pid/stat") - ticks ))
    batches=$(awk '/requests in/ {print $1}' <<<"$out")
    bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    [ -z "$bad" ] || { echo "$bad batches refused" >&2; exit 1; }
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    awk -v t="$used" -v n="$batches" -v hz="$(getconf CLK_TCK)" -v db="$(basename "$source")" -v before="$before" -v r="$round" -v p50="$p50" \
      'BEGIN { printf "| %s | %d | %d | %d | %.1f | %s |\n", db, before, r, n, t / hz / n * 1000, p50 }'
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  done
done
