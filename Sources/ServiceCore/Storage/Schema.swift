/// The application's schema, as the ordered list of its migrations.
public enum Schema {
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "migration history", sql: """
            CREATE TABLE schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            ) STRICT;
            """),
        Migration(version: 2, name: "dealers, keys, customers, devices, contracts, idempotency, audit", sql: """
            CREATE TABLE dealers (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                created_at TEXT NOT NULL
            ) STRICT;
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                key_hash BLOB NOT NULL UNIQUE,
                role TEXT NOT NULL CHECK (role IN ('admin', 'dealer', 'billing')),
                dealer_id TEXT REFERENCES dealers(id),
                created_at TEXT NOT NULL,
                revoked_at TEXT,
                CHECK ((role = 'dealer') = (dealer_id IS NOT NULL))
            ) STRICT;
            CREATE TABLE customers (
                id TEXT PRIMARY KEY,
                dealer_id TEXT NOT NULL REFERENCES dealers(id),
                name TEXT NOT NULL,
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX customers_by_dealer ON customers (dealer_id, id);
            CREATE TABLE devices (
                serial TEXT PRIMARY KEY,
                model TEXT NOT NULL,
                family_id TEXT NOT NULL,
                customer_id TEXT NOT NULL REFERENCES customers(id),
                ip_address TEXT,
                installed_on TEXT,
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX devices_by_customer ON devices (customer_id, serial);
            CREATE TABLE contracts (
                id TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL REFERENCES customers(id),
                starts_on TEXT NOT NULL,
                ends_on TEXT NOT NULL,
                terminated_on TEXT,
                prepaid_amount_minor INTEGER NOT NULL,
                prepaid_currency TEXT NOT NULL,
                implementation_package TEXT NOT NULL,
                options TEXT NOT NULL,
                banner_agreed INTEGER NOT NULL,
                banner_click_price_minor INTEGER,
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                CHECK (starts_on <= ends_on)
            ) STRICT;
            CREATE INDEX contracts_by_customer ON contracts (customer_id, id);
            CREATE TABLE contract_devices (
                contract_id TEXT NOT NULL REFERENCES contracts(id),
                device_serial TEXT NOT NULL REFERENCES devices(serial),
                PRIMARY KEY (contract_id, device_serial)
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX contract_devices_by_device ON contract_devices (device_serial);
            CREATE TABLE contract_tiers (
                contract_id TEXT NOT NULL REFERENCES contracts(id),
                effective_on TEXT NOT NULL,
                tier TEXT NOT NULL CHECK (tier IN ('standard', 'plus', 'premium')),
                recorded_at TEXT NOT NULL,
                PRIMARY KEY (contract_id, effective_on)
            ) STRICT, WITHOUT ROWID;
            CREATE TABLE idempotency_keys (
                api_key_id TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                request_hash BLOB NOT NULL,
                status INTEGER NOT NULL,
                response_headers TEXT NOT NULL,
                response_body BLOB NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (api_key_id, idempotency_key)
            ) STRICT, WITHOUT ROWID;
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                api_key_id TEXT,
                role TEXT NOT NULL,
                action TEXT NOT NULL,
                resource_type TEXT NOT NULL,
                resource_id TEXT NOT NULL,
                dealer_id TEXT,
                detail TEXT NOT NULL
            ) STRICT;
            """),
        Migration(version: 3, name: "service requests and their events", sql: """
            CREATE TABLE service_requests (
                id TEXT PRIMARY KEY,
                device_serial TEXT NOT NULL REFERENCES devices(serial),
                customer_id TEXT NOT NULL REFERENCES customers(id),
                dealer_id TEXT NOT NULL REFERENCES dealers(id),
                contract_id TEXT REFERENCES contracts(id),
                tier TEXT CHECK (tier IN ('standard', 'plus', 'premium')),
                reported_at TEXT NOT NULL,
                category TEXT NOT NULL,
                description TEXT NOT NULL,
                source TEXT NOT NULL,
                state TEXT NOT NULL,
                clock_starts_at TEXT,
                response_due_at TEXT,
                first_response_at TEXT,
                resolved_at TEXT,
                cause TEXT,
                billable_minutes INTEGER,
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX service_requests_by_dealer ON service_requests (dealer_id, id);
            CREATE INDEX service_requests_by_device ON service_requests (device_serial, id);
            CREATE TABLE service_request_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                request_id TEXT NOT NULL REFERENCES service_requests(id),
                type TEXT NOT NULL,
                at TEXT NOT NULL,
                note TEXT,
                api_key_id TEXT,
                recorded_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX service_request_events_by_request ON service_request_events (request_id, id);
            """),
        Migration(version: 4, name: "meter readings, DMS events, consumable orders", sql: """
            CREATE TABLE meter_readings (
                device_serial TEXT NOT NULL REFERENCES devices(serial),
                read_at INTEGER NOT NULL,
                bw_a4 INTEGER NOT NULL CHECK (bw_a4 >= 0),
                bw_a3 INTEGER NOT NULL CHECK (bw_a3 >= 0),
                colour_a4 INTEGER NOT NULL CHECK (colour_a4 >= 0),
                colour_a3 INTEGER NOT NULL CHECK (colour_a3 >= 0),
                banner_bw INTEGER NOT NULL CHECK (banner_bw >= 0),
                banner_colour INTEGER NOT NULL CHECK (banner_colour >= 0),
                source TEXT NOT NULL CHECK (source IN ('dms', 'manual', 'estimate')),
                counter_reset INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                PRIMARY KEY (device_serial, read_at)
            ) STRICT, WITHOUT ROWID;
            CREATE TABLE dms_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                device_serial TEXT NOT NULL REFERENCES devices(serial),
                at TEXT NOT NULL,
                type TEXT NOT NULL,
                detail TEXT NOT NULL,
                ip_address_missing INTEGER NOT NULL,
                received_at TEXT NOT NULL
            ) STRICT;
            CREATE TABLE consumable_orders (
                id TEXT PRIMARY KEY,
                device_serial TEXT NOT NULL REFERENCES devices(serial),
                dealer_id TEXT NOT NULL REFERENCES dealers(id),
                channel TEXT NOT NULL CHECK (channel IN ('black', 'cyan', 'magenta', 'yellow', 'waste', 'drum')),
                state TEXT NOT NULL CHECK (state IN ('open', 'shipped', 'delivered', 'cancelled')),
                level_percent INTEGER NOT NULL,
                triggered_at TEXT NOT NULL,
                quantity_shipped INTEGER NOT NULL,
                quantity_delivered INTEGER NOT NULL,
                delivered_at TEXT,
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;
            -- Alerts repeat, orders must not: one open order per device and item.
            CREATE UNIQUE INDEX consumable_orders_one_open ON consumable_orders (device_serial, channel)
                WHERE state IN ('open', 'shipped');
            CREATE INDEX consumable_orders_by_dealer ON consumable_orders (dealer_id, id);
            CREATE TABLE consumable_order_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                order_id TEXT NOT NULL REFERENCES consumable_orders(id),
                type TEXT NOT NULL,
                quantity INTEGER,
                at TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            ) STRICT;
            ALTER TABLE service_requests ADD COLUMN alert_code TEXT;
            CREATE INDEX service_requests_by_alert ON service_requests (device_serial, alert_code) WHERE alert_code IS NOT NULL;
            """),
        Migration(version: 5, name: "billing runs and lines", sql: """
            CREATE TABLE billing_runs (
                id TEXT PRIMARY KEY,
                year INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('running', 'completed')),
                api_key_id TEXT,
                role TEXT NOT NULL,
                currency TEXT NOT NULL,
                total_minor INTEGER NOT NULL,
                line_count INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                completed_at TEXT
            ) STRICT;
            -- One run per year at a time, across processes (the daemon and the cron CLI).
            CREATE UNIQUE INDEX billing_runs_one_running ON billing_runs (year) WHERE status = 'running';
            CREATE TABLE billing_lines (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id TEXT NOT NULL REFERENCES billing_runs(id),
                year INTEGER NOT NULL,
                device_serial TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                dealer_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                channel TEXT NOT NULL,
                adjustment INTEGER NOT NULL,
                quantity INTEGER NOT NULL,
                unit_price_minor INTEGER NOT NULL,
                amount_minor INTEGER NOT NULL,
                currency TEXT NOT NULL,
                explanation TEXT NOT NULL
            ) STRICT;
            CREATE INDEX billing_lines_by_run ON billing_lines (run_id, id);
            CREATE INDEX billing_lines_by_key ON billing_lines (year, device_serial, kind, channel);
            """),
        Migration(version: 6, name: "cps members, registrations, invoices, welcome packs", sql: CPSSchema.tables),
        // Open SLA breaches are counted at every metrics scrape: an index of
        // the unanswered requests alone keeps that off a scan of them all.
        Migration(version: 7, name: "unanswered service requests by deadline", sql: """
            CREATE INDEX service_requests_unanswered ON service_requests (response_due_at)
              WHERE first_response_at IS NULL AND state <> 'cancelled';
            """),
        Migration(version: 8, name: "cps partner centres and repairs", sql: CPSSchema.servicing),
        SerialNormalisation.migration,
        Migration(version: 10, name: "imagePROGRAF technicians, certifications, authorisation actions, ASCR registrations, eCarePaks", sql: """
            CREATE TABLE ipf_technicians (
                id TEXT PRIMARY KEY,
                dealer_id TEXT NOT NULL REFERENCES dealers(id),
                name TEXT NOT NULL,
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX ipf_technicians_by_dealer ON ipf_technicians (dealer_id, id);
            CREATE TABLE ipf_certifications (
                technician_id TEXT NOT NULL REFERENCES ipf_technicians(id),
                product_line TEXT NOT NULL,
                certified_on TEXT NOT NULL,
                expires_on TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                PRIMARY KEY (technician_id, product_line, certified_on)
            ) STRICT;
            CREATE TABLE ipf_authorisation_actions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                dealer_id TEXT NOT NULL REFERENCES dealers(id),
                kind TEXT NOT NULL CHECK (kind IN ('suspend', 'reinstate')),
                product_line TEXT,
                effective_on TEXT NOT NULL,
                reason TEXT NOT NULL,
                api_key_id TEXT,
                recorded_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX ipf_authorisation_actions_by_dealer ON ipf_authorisation_actions (dealer_id, id);
            CREATE TABLE ipf_registrations (
                serial TEXT PRIMARY KEY,
                dealer_id TEXT NOT NULL REFERENCES dealers(id),
                model TEXT NOT NULL,
                product_line TEXT NOT NULL,
                customer_name TEXT NOT NULL,
                customer_address TEXT NOT NULL,
                customer_country TEXT NOT NULL,
                installed_on TEXT NOT NULL,
                support_model TEXT NOT NULL CHECK (support_model IN ('dealer', 'manufacturer')),
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX ipf_registrations_by_dealer ON ipf_registrations (dealer_id, serial);
            CREATE TABLE ipf_registration_transfers (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                serial TEXT NOT NULL REFERENCES ipf_registrations(serial),
                from_dealer_id TEXT NOT NULL,
                to_dealer_id TEXT NOT NULL REFERENCES dealers(id),
                reason TEXT NOT NULL,
                api_key_id TEXT,
                transferred_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX ipf_registration_transfers_by_serial ON ipf_registration_transfers (serial, id);
            -- Coverage chains eCarePaks in the order bought: ids sort by creation.
            CREATE TABLE ipf_ecarepaks (
                id TEXT PRIMARY KEY,
                serial TEXT NOT NULL REFERENCES ipf_registrations(serial),
                dealer_id TEXT NOT NULL REFERENCES dealers(id),
                term_months INTEGER NOT NULL,
                purchased_on TEXT NOT NULL,
                created_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX ipf_ecarepaks_by_serial ON ipf_ecarepaks (serial, id);
            """),
        Migration(version: 11, name: "imagePROGRAF compensation claims", sql: """
            CREATE TABLE ipf_claims (
                id TEXT PRIMARY KEY,
                dealer_id TEXT NOT NULL REFERENCES dealers(id),
                serial TEXT NOT NULL,
                service_date TEXT NOT NULL,
                technician_id TEXT NOT NULL REFERENCES ipf_technicians(id),
                labour_minutes INTEGER NOT NULL,
                parts TEXT NOT NULL,
                description TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('approved', 'rejected', 'paid')),
                reasons TEXT NOT NULL,
                product_line TEXT,
                currency TEXT NOT NULL,
                amount_minor INTEGER NOT NULL,
                explanation TEXT NOT NULL,
                submitted_at TEXT NOT NULL,
                submitted_on TEXT NOT NULL,
                paid_on TEXT,
                payment_reference TEXT,
                version INTEGER NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;
            -- A serial and service date is claimed once; a rejected claim may be submitted again.
            CREATE UNIQUE INDEX ipf_claims_once ON ipf_claims (dealer_id, serial, service_date) WHERE state <> 'rejected';
            CREATE INDEX ipf_claims_by_dealer_month ON ipf_claims (dealer_id, submitted_on, id);
            """),
        Migration(version: 12, name: "imagePROGRAF parts orders and technical-support cases", sql: """
            CREATE TABLE ipf_orders (
                id TEXT PRIMARY KEY,
                dealer_id TEXT NOT NULL REFERENCES dealers(id),
                channel TEXT NOT NULL CHECK (channel IN ('cna', 'npoc')),
                lines TEXT NOT NULL,
                claim_id TEXT REFERENCES ipf_claims(id),
                state TEXT NOT NULL CHECK (state IN ('submitted', 'confirmed', 'shipped', 'delivered', 'cancelled')),
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX ipf_orders_by_dealer ON ipf_orders (dealer_id, id);
            CREATE TABLE ipf_order_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                order_id TEXT NOT NULL REFERENCES ipf_orders(id),
                type TEXT NOT NULL,
                note TEXT,
                at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX ipf_order_events_by_order ON ipf_order_events (order_id, id);
            CREATE TABLE ipf_support_cases (
                id TEXT PRIMARY KEY,
                dealer_id TEXT NOT NULL REFERENCES dealers(id),
                serial TEXT NOT NULL REFERENCES ipf_registrations(serial),
                channel TEXT NOT NULL CHECK (channel IN ('web', 'phone')),
                problem TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('open', 'escalated', 'resolved')),
                opened_at TEXT NOT NULL,
                escalated_at TEXT,
                response_due_at TEXT,
                version INTEGER NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX ipf_support_cases_by_dealer ON ipf_support_cases (dealer_id, id);
            CREATE TABLE ipf_support_case_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                case_id TEXT NOT NULL REFERENCES ipf_support_cases(id),
                type TEXT NOT NULL,
                note TEXT,
                at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX ipf_support_case_events_by_case ON ipf_support_case_events (case_id, id);
            """),
        Migration(version: 13, name: "cps backup loans", sql: CPSSchema.loans),
        // The prices each billed year was billed at (BilledPrices): a catalogue may not change them afterwards.
        Migration(version: 14, name: "billed price lists", sql: """
            CREATE TABLE billed_prices (
                year INTEGER PRIMARY KEY,
                -- the first run of the year, named in refusals (not a reference: runs may be removed, the prices stay)
                run_id TEXT NOT NULL,
                schedule TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            ) STRICT;
            """),
        // Voided meter readings (MeterCorrection): out of every computation, kept with the reason.
        Migration(version: 15, name: "voided meter readings", sql: """
            CREATE TABLE voided_meter_readings (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                device_serial TEXT NOT NULL REFERENCES devices(serial),
                read_at INTEGER NOT NULL,
                bw_a4 INTEGER NOT NULL,
                bw_a3 INTEGER NOT NULL,
                colour_a4 INTEGER NOT NULL,
                colour_a3 INTEGER NOT NULL,
                banner_bw INTEGER NOT NULL,
                banner_colour INTEGER NOT NULL,
                source TEXT NOT NULL,
                counter_reset INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                voided_at TEXT NOT NULL,
                voided_by_key_id TEXT,
                reason TEXT NOT NULL
            ) STRICT;
            CREATE INDEX voided_meter_readings_by_device ON voided_meter_readings (device_serial, read_at);
            """),
        // The SLA report reads one period of requests, of one dealer or of all.
        Migration(version: 16, name: "service requests by reported time", sql: """
            CREATE INDEX service_requests_by_dealer_reported ON service_requests (dealer_id, reported_at);
            CREATE INDEX service_requests_by_reported ON service_requests (reported_at);
            """),
        SecurityActivationDowngrades.migration,
        // Work orders are read whole (services, time, extras) and billed per year.
        Migration(version: 18, name: "implementation work orders, their services, time entries and extras", sql: """
            CREATE TABLE work_orders (
                id TEXT PRIMARY KEY,
                contract_id TEXT NOT NULL REFERENCES contracts(id),
                device_serial TEXT NOT NULL REFERENCES devices(serial),
                customer_id TEXT NOT NULL,
                dealer_id TEXT NOT NULL,
                implementation_package TEXT NOT NULL,
                delivered_at TEXT,
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (contract_id, device_serial)
            ) STRICT;
            CREATE INDEX work_orders_by_dealer ON work_orders (dealer_id, id);
            CREATE INDEX work_orders_by_device ON work_orders (device_serial);
            CREATE TABLE work_order_services (
                work_order_id TEXT NOT NULL REFERENCES work_orders(id),
                service TEXT NOT NULL,
                position INTEGER NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
                completed_at TEXT,
                due_at TEXT,
                PRIMARY KEY (work_order_id, service)
            ) STRICT, WITHOUT ROWID;
            CREATE TABLE work_order_time_entries (
                id TEXT PRIMARY KEY,
                work_order_id TEXT NOT NULL REFERENCES work_orders(id),
                service TEXT NOT NULL,
                minutes INTEGER NOT NULL CHECK (minutes > 0),
                people INTEGER,
                performed_at TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX work_order_time_entries_by_order ON work_order_time_entries (work_order_id, performed_at);
            CREATE TABLE work_order_extras (
                id TEXT PRIMARY KEY,
                work_order_id TEXT NOT NULL REFERENCES work_orders(id),
                add_on TEXT NOT NULL,
                minutes INTEGER NOT NULL CHECK (minutes > 0),
                performed_at TEXT NOT NULL,
                note TEXT,
                recorded_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX work_order_extras_by_order ON work_order_extras (work_order_id, performed_at);
            """),
        Migration(version: 19, name: "event outbox", sql: EventSchema.tables),
        Migration(version: 20, name: "webhook endpoints and attempts, response breaches raised", sql: EventSchema.webhooks),
        BillingRunTotals.migration,
        // Prepaid invoicing (PrepaidInvoicingRuns): what each run invoiced per contract and billing period,
        // read back by contract so that no period is invoiced twice.
        Migration(version: 22, name: "prepaid invoicing: contracts' billing frequency, invoicing runs and lines", sql: """
            ALTER TABLE contracts ADD COLUMN billing_frequency TEXT NOT NULL DEFAULT 'yearly'
                CHECK (billing_frequency IN ('yearly', 'quarterly', 'monthly'));
            CREATE TABLE invoicing_runs (
                id TEXT PRIMARY KEY,
                period TEXT NOT NULL,
                api_key_id TEXT,
                role TEXT NOT NULL,
                currency TEXT NOT NULL,
                total_minor INTEGER NOT NULL,
                line_count INTEGER NOT NULL,
                created_at TEXT NOT NULL
            ) STRICT;
            CREATE TABLE invoicing_lines (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id TEXT NOT NULL REFERENCES invoicing_runs(id),
                contract_id TEXT NOT NULL REFERENCES contracts(id),
                customer_id TEXT NOT NULL,
                dealer_id TEXT NOT NULL,
                billing_period TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('prepaid', 'prepaid_credit')),
                adjustment INTEGER NOT NULL,
                covered_days INTEGER NOT NULL,
                amount_minor INTEGER NOT NULL,
                currency TEXT NOT NULL,
                explanation TEXT NOT NULL
            ) STRICT;
            CREATE INDEX invoicing_lines_by_run ON invoicing_lines (run_id, id);
            CREATE INDEX invoicing_lines_by_contract ON invoicing_lines (contract_id, billing_period);
            """),
        // Repairs past their target (CPSRepairs.markMissedTargets): when the event was raised, so it is raised once;
        // the index holds only repairs in servicing whose miss is not yet raised, the few the watcher looks at.
        Migration(version: 23, name: "CPS repairs past their target", sql: """
            ALTER TABLE cps_repairs ADD COLUMN target_missed_at TEXT;
            CREATE INDEX cps_repairs_target_pending ON cps_repairs (centre_id, target_on)
                WHERE target_missed_at IS NULL AND state IN ('received', 'diagnosed', 'waiting_for_parts');
            """),
        BillingRunDealerTotals.migration,
        // A dealer's page of a run's lines walks its own lines: `billing_lines_by_run` made a small dealer's
        // first page read the run's every line for its dealer (25.7 ms at factor 1, 19 000 lines).
        Migration(version: 25, name: "billing lines by run and dealer", sql: """
            CREATE INDEX billing_lines_by_run_dealer ON billing_lines (run_id, dealer_id, id);
            """),
        RowsByDealer.migration(version: 26, table: "contracts", key: "id", column: "contract_id"),
        RowsByDealer.migration(version: 27, table: "devices", key: "serial", column: "serial"),
        RegistrationsByMember.migration,
        ContractSerialLists.migration,
        EventsCoveredByRequest.migration,
        // The billing run's service-hours pass reads the billable requests resolved in its year; it walked every
        // request in id order to find them (a million at factor 1, for the one in a hundred with billable minutes).
        Migration(version: 31, name: "billable service requests by resolution", sql: """
            CREATE INDEX service_requests_billable ON service_requests (resolved_at) WHERE billable_minutes IS NOT NULL;
            """),
        MemberPointsSpans.migration,
    ]
}
