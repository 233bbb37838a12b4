/// Migration 28: a member's registrations stored together. `cps_registrations`
/// was a rowid table found through `(member_id, id)`: a member read walked
/// that index and then fetched each of its ten rows from wherever it had
/// been inserted, eleven descents into a million-row table and as many
/// pages read. Keyed by `(member_id, id)` without a rowid, the rows are
/// the index: one descent, usually one page. The id stays unique on its own
/// (repairs refer to it).
enum RegistrationsByMember {
    static let migration = Migration(version: 28, name: "CPS registrations stored by member", rebuilds: ["cps_registrations"], sql: """
        CREATE TABLE cps_registrations_new (
            id TEXT NOT NULL,
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
            CHECK ((ended_on IS NULL) = (end_reason IS NULL)),
            PRIMARY KEY (member_id, id)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO cps_registrations_new (id, member_id, product_id, serial, country_of_purchase, purchased_on, store,
                                                second_hand, added_on, start_reason, completed_on, complete_when_added,
                                                ended_on, end_reason, version)
            SELECT id, member_id, product_id, serial, country_of_purchase, purchased_on, store, second_hand, added_on,
                   start_reason, completed_on, complete_when_added, ended_on, end_reason, version
            FROM cps_registrations ORDER BY member_id, id;
        DROP TABLE cps_registrations;
        ALTER TABLE cps_registrations_new RENAME TO cps_registrations;
        CREATE UNIQUE INDEX cps_registrations_id ON cps_registrations (id);
        -- One holder per product serial at a time.
        CREATE UNIQUE INDEX cps_registrations_held_serial ON cps_registrations (product_id, serial)
            WHERE ended_on IS NULL AND serial IS NOT NULL;
        """)
}
