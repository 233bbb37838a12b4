#!/usr/bin/env bash
# Meter-reading ingestion: 100 000 readings (1 000 devices x 100) posted over
# HTTP in batches of 10 000 to a fresh release daemon, against the raw SQLite
# insert rate of the same rows from C (Benchmarks/raw-sqlite). Reports
# readings/s for both, their ratio, and the daemon's peak RSS.
#   scripts/bench-readings.sh            DEVICES=2000 PER_DEVICE=50 BATCH=5000 scripts/bench-readings.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DEVICES="${DEVICES:-1000}"
PER_DEVICE="${PER_DEVICE:-100}"
BATCH="${BATCH:-10000}"
PORT="${PORT:-18180}"
source scripts/lib/bench-daemon.sh

gcc -O2 -o "$work/insert_readings" Benchmarks/raw-sqlite/insert_readings.c -lsqlite3
raw=$("$work/insert_readings" "$work/raw.db" "$DEVICES" "$PER_DEVICE" "$BATCH")
echo "raw SQLite: $raw" >&2

bench_serve "$PORT"

python3 - "$PORT" "$key" "$DEVICES" "$PER_DEVICE" "$BATCH" "$pid" "$raw" <<'PY'
import http.client, json, sys, time
port, key, devices, per, batch, pid, raw = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
def call(method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=600)
    headers = {"Authorization": "Bearer " + key}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = body if isinstance(body, (bytes, str)) else json.dumps(body)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        sys.exit(f"{method} {path}: {response.status} {data[:500]!r}")
    return json.loads(data) if data else None
dealer = call("POST", "/v1/dealers", {"name": "Bench"})["id"]
customer = call("POST", "/v1/customers", {"name": "Bench customer", "dealer_id": dealer})["id"]
for d in range(devices):
    call("POST", "/v1/devices", {"serial": f"BENCH-{d:05d}", "model": "imageRUNNER ADVANCE C3530i", "customer_id": customer})
rows = []
for r in range(per):
    for d in range(devices):
        at = 1767225600 + r * 3600
        v = [(r + 1) * (c + 1) * 10 for c in range(6)]
        rows.append({"device_serial": f"BENCH-{d:05d}", "read_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at)),
                     "bw_a4": v[0], "bw_a3": v[1], "colour_a4": v[2], "colour_a3": v[3], "banner_bw": v[4], "banner_colour": v[5], "source": "dms"})
bodies = [json.dumps({"readings": rows[i:i + batch]}).encode() for i in range(0, len(rows), batch)]
start = time.monotonic()
stored = 0
for body in bodies:
    stored += call("POST", "/v1/meter-readings", body)["stored"]
elapsed = time.monotonic() - start
assert stored == len(rows), (stored, len(rows))
rss = next(line.split()[1] for line in open(f"/proc/{pid}/status") if line.startswith("VmHWM"))
raw_rate = float(raw.split(": ")[1].split()[0])
rate = len(rows) / elapsed
print(f"| HTTP, service-daemon | {len(rows)} readings, {len(bodies)} batches of {batch} | {elapsed:.2f} s | {rate:,.0f} readings/s | peak RSS {int(rss) / 1024:.0f} MB |")
print(f"| raw SQLite from C | same rows and batches, WAL, synchronous=FULL | | {raw_rate:,.0f} rows/s | |")
print(f"Ratio HTTP / raw: {rate / raw_rate:.1%}")
PY
