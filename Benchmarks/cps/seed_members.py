"""Seeds a migrated service-daemon database with CPS members, each holding
complete registrations of catalogue products, straight through SQLite (the
API would take an hour for a million registrations). Rows have the shape
CPSMemberStore and CPSRegistrationStore write. Prints the member ids, one a
line, for the load generator.

    python3 seed_members.py DB CATALOGUE MEMBERS PRODUCTS_EACH > ids.txt
"""
import json
import random
import sqlite3
import sys

db, catalogue, members, each = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
products = [p["id"] for p in json.load(open(catalogue))["cps"]["products"]["items"]]
random.seed(7)
connection = sqlite3.connect(db)
connection.execute("PRAGMA journal_mode=WAL")
connection.execute("PRAGMA synchronous=OFF")
now = "2026-01-01T00:00:00Z"
with connection:
    for n in range(members):
        member = f"cpm_bench{n:08d}"
        connection.execute(
            "INSERT INTO cps_members (id, membership_number, name, email, email_key, country, programme, closed_on, migrated_to,"
            " version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'NO', 'free', NULL, NULL, 1, ?, ?)",
            (member, f"CPS{n:010d}", f"Member {n}", f"m{n}@bench.example", f"m{n}@bench.example", now, now))
        rows = []
        for k in range(each):
            product = products[(n * each + k) % len(products)]
            added = f"2025-{1 + k % 12:02d}-{1 + n % 28:02d}"
            rows.append((f"reg_bench{n:08d}{k:02d}", member, product, f"B{n:08d}{k:02d}", "NO", "2025-01-01", "Bench store",
                         added, added))
        connection.executemany(
            "INSERT INTO cps_registrations (id, member_id, product_id, serial, country_of_purchase, purchased_on, store, second_hand,"
            " added_on, start_reason, completed_on, complete_when_added, ended_on, end_reason, version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 'registered', ?, 1, NULL, NULL, 1)", rows)
        print(member)
