#!/usr/bin/env bash
# The annual billing run over DEVICES devices (default 100 000) with 12
# monthly readings each (plus the year-end one), all under standard
# contracts for 2025: time and peak RSS of `service-daemon bill --dry-run`
# (and of a stored run), beside one raw SQL GROUP BY pass over the same
# readings. The data is generated straight into a migrated database.
#   scripts/bench-billing.sh            DEVICES=10000 scripts/bench-billing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DEVICES="${DEVICES:-100000}"
bash scripts/ensure-deps.sh
command -v /usr/bin/time >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq time >/dev/null; }
swift build -c release --product service-daemon >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/billing.db"
.build/release/service-daemon migrate --db "$db" >&2

python3 - "$db" "$DEVICES" <<'PY'
import sqlite3, sys, time, random
db, devices = sys.argv[1], int(sys.argv[2])
random.seed(2025)
c = sqlite3.connect(db)
c.execute("PRAGMA synchronous=OFF")
now = "2025-01-01T00:00:00Z"
# Ids in the daemon's own format: prefix, 12 hex digits of milliseconds, 16 random hex digits.
def ident(prefix, i):
    return f"{prefix}_{0x0194_1a2b_0000 + i:012x}{random.getrandbits(64):016x}"
dealer = ident("dlr", 0)
c.execute("INSERT INTO dealers VALUES (?, 'Bench', ?)", (dealer, now))
customer_ids = [ident("cus", i) for i in range(max(1, devices // 10))]
contract_ids = [ident("con", i) for i in range(devices)]
c.executemany("INSERT INTO customers VALUES (?, ?, ?, 1, ?, ?)",
              ((customer, dealer, f"Customer {i}", now, now) for i, customer in enumerate(customer_ids)))
c.executemany("INSERT INTO devices VALUES (?, 'imageRUNNER ADVANCE C3530i', 'iradv-c3xxx', ?, NULL, NULL, 1, ?, ?)",
              ((f"D{i:06d}", customer_ids[i // 10], now, now) for i in range(devices)))
c.executemany("INSERT INTO contracts VALUES (?, ?, '2025-01-01', '2025-12-31', NULL, 0, 'NOK', 'basic', '[]', 0, NULL, 1, ?, ?, '[]', 'yearly')",
              ((contract_ids[i], customer_ids[i // 10], now, now) for i in range(devices)))
c.executemany("INSERT INTO contract_devices VALUES (?, ?)", ((contract_ids[i], f"D{i:06d}") for i in range(devices)))
c.executemany("INSERT INTO contract_tiers VALUES (?, '2025-01-01', 'standard', ?)", ((contract_ids[i], now) for i in range(devices)))
month_starts = [1735686000000, 1738364400000, 1740783600000, 1743458400000, 1746050400000, 1748728800000,
                1751320800000, 1753999200000, 1756677600000, 1759269600000, 1761951600000, 1764543600000, 1767222000000]
def readings():
    for i in range(devices):
        rate = random.randint(3000, 7000)
        for m, at in enumerate(month_starts):
            yield (f"D{i:06d}", at, m * 20000, m * 500, m * rate, m * 100, 0, 0, "dms", 0, at)
c.executemany("INSERT INTO meter_readings VALUES (?,?,?,?,?,?,?,?,?,?,?)", readings())
c.commit()
start = time.monotonic()
rows = c.execute("""SELECT device_serial, max(colour_a4) - min(colour_a4), max(colour_a3) - min(colour_a3)
                    FROM meter_readings WHERE read_at >= 1735686000000 AND read_at <= 1767222000000 GROUP BY device_serial""").fetchall()
print(f"raw GROUP BY over {devices * 13} readings into {len(rows)} groups: {time.monotonic() - start:.2f} s")
PY

# BILL_PREFIX wraps the bill command, e.g. BILL_PREFIX="perf record -g -o /tmp/bill.perf".
run() {
  /usr/bin/time -f "%e s, peak RSS %M KB" -o "$work/time.txt" \
    ${BILL_PREFIX:-} .build/release/service-daemon bill --year 2025 --db "$db" "$@" >"$work/out.txt"
  echo "$(cat "$work/out.txt") | $(cat "$work/time.txt")"
}
echo "dry run:    $(run --dry-run)"
echo "stored run: $(run --output "$work/lines.jsonl")"
echo "second run: $(run)"
