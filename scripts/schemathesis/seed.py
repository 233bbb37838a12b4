#!/usr/bin/env python3
"""Seeds a running daemon for the schemathesis run: two dealers with keys,
customers, devices, contracts, meter readings, service requests, DMS events
(which open a consumable order and a device alert) and a stored billing run,
so generated requests meet real resources and not only 404s.

Usage: seed.py BASE_URL ADMIN_KEY. Prints shell assignments of the ids it
made (DEALER_KEY=..., DEVICE=...) for the caller to use."""
import json
import sys
import urllib.error
import urllib.request

base, admin = sys.argv[1], sys.argv[2]


def call(method, path, body=None, key=admin, expect=(200, 201)):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    if status not in expect:
        sys.exit(f"seed: {method} {path} answered {status}: {text[:500]!r}")
    return json.loads(text) if text else None


def reading(serial, at, scale, reset=False):
    return {"device_serial": serial, "read_at": at, "bw_a4": 1000 * scale, "bw_a3": 100 * scale, "colour_a4": 4000 * scale,
            "colour_a3": 300 * scale, "banner_bw": scale, "banner_colour": 2 * scale, "source": "dms", "counter_reset": reset}


out = {}
for number, name in enumerate(["Kontorteknikk AS", "Fjordprint AS"]):
    dealer = call("POST", "/v1/dealers", {"name": name})
    key = call("POST", f"/v1/dealers/{dealer['id']}/api-keys")["key"]
    customer = call("POST", "/v1/customers", {"name": f"{name} kunde"}, key=key)
    serials = [f"ST{number}A", f"ST{number}B"]
    for serial, model in zip(serials, ["imageRUNNER ADVANCE C3530i", "imageRUNNER C1325iF"]):
        call("POST", "/v1/devices", {"serial": serial, "model": model, "customer_id": customer["id"], "ip_address": "192.0.2.10"}, key=key)
    contract = call("POST", "/v1/contracts", {
        "customer_id": customer["id"], "device_serials": serials, "tier": "plus", "starts_on": "2025-01-01", "ends_on": "2026-12-31",
        "prepaid": {"amount_minor": 1200000, "currency": "NOK"}, "implementation_package": "advanced", "options": ["connectivity"],
        "banner_agreed": True, "banner_click_price_minor": 300}, key=key)
    call("POST", f"/v1/contracts/{contract['id']}/amendments", {"effective_on": "2025-07-01", "tier": "standard"}, key=key)
    call("POST", "/v1/meter-readings", {"readings": [
        reading(serial, at, scale) for serial in serials
        for at, scale in [("2025-01-01T06:00:00Z", 1), ("2025-06-30T06:00:00Z", 5), ("2025-12-31T06:00:00Z", 12)]]}, key=key)
    request = call("POST", "/v1/service-requests", {"device_serial": serials[0], "reported_at": "2025-03-03T09:00:00Z",
                                                    "category": "fault", "description": "Paper jam in tray 2", "source": "portal"}, key=key)
    call("POST", f"/v1/service-requests/{request['id']}/events", {"type": "respond", "at": "2025-03-03T10:00:00Z"}, key=key)
    call("POST", f"/v1/service-requests/{request['id']}/events",
         {"type": "resolve", "at": "2025-03-03T12:00:00Z", "cause": "outside_responsibility", "billable_minutes": 90}, key=key)
    call("POST", "/v1/dms/events", {"device_serial": serials[1], "at": "2025-04-01T08:00:00Z", "type": "toner_level", "channel": "cyan",
                                    "level_percent": 10}, key=key)
    call("POST", "/v1/dms/events", {"device_serial": serials[1], "at": "2025-04-01T08:05:00Z", "type": "error", "code": "E000007-0001",
                                    "message": "fixing unit"}, key=key)
    out.update({f"DEALER{number}_ID": dealer["id"], f"DEALER{number}_KEY": key, f"CUSTOMER{number}": customer["id"],
                f"DEVICE{number}": serials[0], f"CONTRACT{number}": contract["id"], f"SERVICE_REQUEST{number}": request["id"]})

orders = call("GET", "/v1/consumable-orders")["items"]
call("POST", f"/v1/consumable-orders/{orders[0]['id']}/events", {"type": "ship", "quantity": 1})
run = call("POST", "/v1/billing-runs", {"year": 2025, "dry_run": False})
out["BILLING_RUN"] = run["id"]
for name, value in out.items():
    print(f"{name}={value}")
