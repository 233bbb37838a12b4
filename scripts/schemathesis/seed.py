#!/usr/bin/env python3
"""Seeds a running daemon for the schemathesis run: two dealers with keys,
customers, devices, contracts, meter readings, service requests, DMS events
(which open a consumable order and a device alert), a stored billing run and
imagePROGRAF programme data (technician, registrations, claims, an order, a
support case, a suspension),
so generated requests meet real resources and not only 404s.

Usage: seed.py BASE_URL ADMIN_KEY. Prints shell assignments of the ids it
made (DEALER_KEY=..., DEVICE=...) for the caller to use."""
import datetime
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

# imagePROGRAF: dealer 0 is authorised for the TM line by a certified
# technician and registers two devices (one with an eCarePak); a claim on
# one (approved, then paid) and one left approved, a parts order for it, a
# support case with a step; dealer 1 suspended for a scanner line. Dates are
# relative to today: the programme refuses future dates and late claims.
today = datetime.date.today()


def days_ago(days):
    return (today - datetime.timedelta(days=days)).isoformat()


ipf_key = out["DEALER0_KEY"]
technician = call("POST", "/v1/ipf/technicians", {"name": "Ola Tekniker", "certifications": [
    {"product_line": "imageprograf-tm", "certified_on": days_ago(60)}, {"product_line": "imageprograf", "certified_on": days_ago(60)}]},
    key=ipf_key)
ipf_serials = ["IPFST0001", "IPFST0002"]
for serial, model in zip(ipf_serials, ["imagePROGRAF TM-300", "imagePROGRAF PRO-4100"]):
    call("POST", "/v1/ipf/registrations", {
        "serial": serial, "model": model, "installed_on": days_ago(30), "support_model": "dealer",
        "end_customer": {"name": "Arkitekt AS", "address": "Storgata 1, Oslo", "country": "NO"}}, key=ipf_key)
call("POST", f"/v1/ipf/registrations/{ipf_serials[1]}/ecarepaks", {"term_months": 12}, key=ipf_key)
claims = [call("POST", "/v1/ipf/claims", {
    "serial": serial, "service_date": days_ago(3), "technician_id": technician["id"], "labour_minutes": 90,
    "parts": [{"part_number": "QM7-1234", "quantity": 1, "unit_cost_minor": 45000}], "description": "replaced the cutter"}, key=ipf_key)
    for serial in ipf_serials]
call("POST", f"/v1/ipf/claims/{claims[0]['id']}/payment", {"reference": "PAY-SEED-1"})
ipf_order = call("POST", "/v1/ipf/orders", {"channel": "cna", "lines": [{"part_number": "QM7-1234", "quantity": 2}],
                                            "claim_id": claims[1]["id"]}, key=ipf_key)
call("POST", f"/v1/ipf/orders/{ipf_order['id']}/events", {"type": "confirm"}, key=ipf_key)
case = call("POST", "/v1/ipf/support-cases", {"serial": ipf_serials[0], "channel": "web", "problem": "banding in the cyan channel"},
            key=ipf_key)
call("POST", f"/v1/ipf/support-cases/{case['id']}/steps", {"note": "cleaned the print head"}, key=ipf_key)
call("POST", f"/v1/ipf/dealers/{out['DEALER1_ID']}/authorisation/actions",
     {"kind": "suspend", "product_line": "colortrac-z36", "reason": "minimum service requirements not met"})
out.update({"IPF_TECHNICIAN": technician["id"], "IPF_SERIAL": ipf_serials[0], "IPF_CLAIM": claims[1]["id"], "IPF_ORDER": ipf_order["id"],
            "IPF_SUPPORT_CASE": case["id"]})

orders = call("GET", "/v1/consumable-orders")["items"]
call("POST", f"/v1/consumable-orders/{orders[0]['id']}/events", {"type": "ship", "quantity": 1})
run = call("POST", "/v1/billing-runs", {"year": 2025, "dry_run": False})
out["BILLING_RUN"] = run["id"]
for name, value in out.items():
    print(f"{name}={value}")
