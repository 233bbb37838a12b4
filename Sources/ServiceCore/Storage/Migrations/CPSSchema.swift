/// Canon Professional Services tables. Registrations, packs and invoices
/// are never deleted: a removed or migrated product is ended, so points
/// history and past totals can be recomputed for any date.
enum CPSSchema {
    static let tables = """
        CREATE TABLE cps_members (
            id TEXT PRIMARY KEY,
            membership_number TEXT UNIQUE,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            email_key TEXT NOT NULL,
            country TEXT NOT NULL,
            programme TEXT NOT NULL CHECK (programme IN ('free', 'subscription')),
            closed_on TEXT,
            migrated_to TEXT REFERENCES cps_members(id),
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        -- E-mail unique case-insensitively among open accounts (a closed, migrated one keeps its address).
        CREATE UNIQUE INDEX cps_members_open_email ON cps_members (email_key) WHERE closed_on IS NULL;
        CREATE INDEX cps_members_by_email ON cps_members (email_key, id);
        CREATE TABLE cps_registrations (
            id TEXT PRIMARY KEY,
            member_id TEXT NOT NULL REFERENCES cps_members(id),
            product_id TEXT NOT NULL,
            serial TEXT,
            country_of_purchase TEXT,
            purchased_on TEXT,
            store TEXT,
            second_hand INTEGER NOT NULL,
            added_on TEXT NOT NULL,
            start_reason TEXT NOT NULL CHECK (start_reason IN ('registered', 'migrated_in')),
            completed_on TEXT,
            complete_when_added INTEGER NOT NULL,
            ended_on TEXT,
            end_reason TEXT CHECK (end_reason IN ('removed', 'migrated_out')),
            version INTEGER NOT NULL,
            CHECK ((ended_on IS NULL) = (end_reason IS NULL))
        ) STRICT;
        CREATE INDEX cps_registrations_by_member ON cps_registrations (member_id, id);
        -- One holder per product serial at a time.
        CREATE UNIQUE INDEX cps_registrations_held_serial ON cps_registrations (product_id, serial)
            WHERE ended_on IS NULL AND serial IS NOT NULL;
        CREATE TABLE cps_invoices (
            id TEXT PRIMARY KEY,
            member_id TEXT NOT NULL REFERENCES cps_members(id),
            level TEXT NOT NULL CHECK (level IN ('silver', 'gold', 'platinum', 'corporate')),
            payment_method TEXT NOT NULL CHECK (payment_method IN ('card', 'bank_transfer')),
            term_starts_on TEXT NOT NULL,
            term_ends_on TEXT NOT NULL,
            issued_on TEXT NOT NULL,
            due_on TEXT NOT NULL,
            amount_minor INTEGER NOT NULL,
            fee_minor INTEGER NOT NULL,
            currency TEXT NOT NULL,
            paid_on TEXT,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX cps_invoices_by_member ON cps_invoices (member_id, term_starts_on);
        CREATE UNIQUE INDEX cps_invoices_one_term_start ON cps_invoices (member_id, term_starts_on);
        CREATE INDEX cps_invoices_unpaid ON cps_invoices (due_on, id) WHERE paid_on IS NULL;
        CREATE TABLE cps_welcome_packs (
            id TEXT PRIMARY KEY,
            member_id TEXT NOT NULL UNIQUE REFERENCES cps_members(id),
            level_at_request TEXT NOT NULL,
            address TEXT NOT NULL,
            requested_on TEXT NOT NULL,
            sent_on TEXT,
            version INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX cps_welcome_packs_pending ON cps_welcome_packs (id) WHERE sent_on IS NULL;
        """

    static let servicing = """
        CREATE TABLE cps_partner_centres (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            country TEXT NOT NULL,
            dealer_id TEXT NOT NULL REFERENCES dealers(id),
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE cps_repairs (
            id TEXT PRIMARY KEY,
            member_id TEXT NOT NULL REFERENCES cps_members(id),
            registration_id TEXT NOT NULL REFERENCES cps_registrations(id),
            product_id TEXT NOT NULL,
            centre_id TEXT NOT NULL,
            dealer_id TEXT,
            service TEXT NOT NULL CHECK (service IN ('repair', 'maintenance', 'upgrade')),
            chargeable INTEGER NOT NULL,
            received_at TEXT NOT NULL,
            level TEXT,
            points INTEGER NOT NULL,
            decision TEXT NOT NULL,
            start_on TEXT NOT NULL,
            target_on TEXT NOT NULL,
            benefits TEXT NOT NULL,
            state TEXT NOT NULL,
            completed_on TEXT,
            returned_shipping TEXT,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX cps_repairs_in_service ON cps_repairs (member_id) WHERE state IN ('received', 'diagnosed', 'waiting_for_parts');
        CREATE INDEX cps_repairs_by_dealer ON cps_repairs (dealer_id, id);
        """

    static let loans = """
        ALTER TABLE cps_repairs ADD COLUMN loan_product TEXT;
        ALTER TABLE cps_repairs ADD COLUMN loan_lent_on TEXT;
        ALTER TABLE cps_repairs ADD COLUMN loan_returned_on TEXT;
        CREATE INDEX cps_repairs_completed ON cps_repairs (completed_on) WHERE completed_on IS NOT NULL;
        """
}
