#!/usr/bin/env bash
# A reproducible national estate for benchmarks, written through the
# daemon's own stores by its hidden `seed-scale` command (ScaleEstate.swift):
# at FACTOR 1, 500 dealers, 50 000 customers, 200 000 devices with contracts
# (amended, terminated), 12 million monthly meter readings over 2021-2025,
# a million service requests with their events, 100 000 consumable orders,
# and the five years billed. Prints the seconds it took and the database size.
#   scripts/seed-scale.sh [FACTOR]          (default 0.1)
#   SCALE_DB=/tmp/estate.db scripts/seed-scale.sh 0.3
# The database goes to SCALE_DB, default data/scale-FACTOR.db (replaced).
set -euo pipefail
cd "$(dirname "$0")/.."
FACTOR="${1:-0.1}"
DB="${SCALE_DB:-data/scale-$FACTOR.db}"
bash scripts/ensure-deps.sh
swift build -c release --product service-daemon >&2
mkdir -p "$(dirname "$DB")"
rm -f "$DB" "$DB-wal" "$DB-shm"
.build/release/service-daemon seed-scale --factor "$FACTOR" --db "$DB"
