#!/usr/bin/env bash
# Events: (1) webhook deliveries per second to a loopback receiver, (2) what
# the transactional outbox costs a contract write and DMS ingestion.
#   scripts/bench-events.sh          EVENTS=5000 WRITES=1000 ROUNDS=3 scripts/bench-events.sh
# (1) An admin endpoint for device.alert_raised points at a receiver on
# loopback (Python, threaded, answering 204); EVENTS DMS error events are
# posted first while the receiver is held back (the endpoint failing), then
# replayed: events/s is the delivered count over the time from the replay to
# the last arrival. (2) WRITES contracts, then WRITES DMS error events, are
# posted one at a time on one connection, in ROUNDS alternating rounds with
# the outbox on and off. "Off" is a trigger `BEFORE INSERT ON events ...
# RAISE(IGNORE)`: the event row, its index entry and its WAL pages are
# skipped while the rest (building and encoding the event, the statement) is
# still paid, so the difference slightly understates the outbox's cost.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${EVENTS:-5000}"
WRITES="${WRITES:-1000}"
ROUNDS="${ROUNDS:-3}"
PORT="${PORT:-18190}"
HOOK_PORT="${HOOK_PORT:-18191}"
source scripts/lib/bench-daemon.sh
require_free_port "$HOOK_PORT"
bench_serve "$PORT" SERVICE_DAEMON_WEBHOOK_ALLOW_INSECURE=true

python3 - "$PORT" "$HOOK_PORT" "$key" "$EVENTS" "$WRITES" "$ROUNDS" "$db" <<'PY'
import http.client, http.server, json, sqlite3, statistics, sys, threading, time
port, hook_port, key, events, writes, rounds, db = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
def call(method, path, body=None):
    headers = {"Authorization": "Bearer " + key}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: {response.status} {data[:300]}")
    return json.loads(data) if data else None

received = [0]
last = [0.0]
lock = threading.Lock()
class Hook(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        with lock:
            received[0] += 1
            last[0] = time.monotonic()
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args): pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", hook_port), Hook)
threading.Thread(target=server.serve_forever, daemon=True).start()

dealer = call("POST", "/v1/dealers", {"name": "Bench AS"})["id"]
customer = call("POST", "/v1/customers", {"name": "Kunde", "dealer_id": dealer})["id"]
serials = [f"BENCH-{i}" for i in range(2 * rounds + 1)]
for serial in serials:
    call("POST", "/v1/devices", {"serial": serial, "model": "imageRUNNER ADVANCE C3530i", "customer_id": customer, "ip_address": "192.0.2.1"})

# (1) deliveries per second
endpoint = call("POST", "/v1/webhook-endpoints", {"url": f"http://127.0.0.1:{hook_port}/hook", "event_types": ["device.alert_raised"]})["id"]
sql = sqlite3.connect(db, timeout=30)
sql.execute("UPDATE webhook_endpoints SET state = 'failing' WHERE id = ?", (endpoint,)); sql.commit()
for i in range(events):
    call("POST", "/v1/dms/events", {"device_serial": serials[0], "at": "2026-01-05T08:00:00Z", "type": "error", "code": f"E{i % 50}"})
start = time.monotonic()
call("POST", f"/v1/webhook-endpoints/{endpoint}/replay")
while received[0] < events and time.monotonic() - start < 600:
    time.sleep(0.05)
print(f"deliveries: {received[0]} events in {last[0] - start:.2f} s = {received[0] / (last[0] - start):.0f} events/s (one endpoint, one connection)")
call("DELETE", f"/v1/webhook-endpoints/{endpoint}")

# (2) outbox cost
def outbox(on):
    sql.execute("DROP TRIGGER IF EXISTS outbox_off")
    if not on:
        sql.execute("CREATE TRIGGER outbox_off BEFORE INSERT ON events BEGIN SELECT RAISE(IGNORE); END")
    sql.commit()
results = {("contract", True): [], ("contract", False): [], ("dms", True): [], ("dms", False): []}
year = 2030
for round in range(rounds):
    for on in (True, False):
        outbox(on)
        serial = serials[1 + 2 * round + (0 if on else 1)]
        t = time.monotonic()
        for i in range(writes):
            day = f"{year + i // 12}-{i % 12 + 1:02d}"
            call("POST", "/v1/contracts", {"customer_id": customer, "device_serials": [serial], "tier": "standard",
                 "starts_on": f"{day}-01", "ends_on": f"{day}-02", "prepaid": {"amount_minor": 100, "currency": "NOK"},
                 "implementation_package": "standard", "options": [], "banner_agreed": False})
        results[("contract", on)].append(writes / (time.monotonic() - t))
        t = time.monotonic()
        for i in range(writes):
            call("POST", "/v1/dms/events", {"device_serial": serial, "at": "2026-01-05T08:00:00Z", "type": "error", "code": f"E{i % 50}"})
        results[("dms", on)].append(writes / (time.monotonic() - t))
outbox(True)
for kind in ("contract", "dms"):
    on, off = results[(kind, True)], results[(kind, False)]
    m_on, m_off = statistics.median(on), statistics.median(off)
    print(f"{kind}: outbox on {' '.join(f'{x:.0f}' for x in on)} writes/s (median {m_on:.0f}); "
          f"off {' '.join(f'{x:.0f}' for x in off)} (median {m_off:.0f}); cost {100 * (m_off - m_on) / m_off:.1f} %")
PY
