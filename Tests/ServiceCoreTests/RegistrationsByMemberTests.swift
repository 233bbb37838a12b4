import Foundation
import Testing
@testable import ServiceCore

/// Migration 28 rebuilds `cps_registrations` keyed by member, and the
/// migrator's way of rebuilding a table other tables refer to: foreign keys
/// off while it runs, every reference from and to the table checked before
/// it commits, foreign keys on again after.
@Suite struct RegistrationsByMemberTests {
    static let now = MigrationFixture.now

    static func seed(_ connection: Connection) throws {
        for member in ["cpm_1", "cpm_2"] {
            try connection.execute("""
                INSERT INTO cps_members (id, membership_number, name, email, email_key, country, programme, version, created_at, updated_at)
                VALUES (?, ?, 'M', ?, ?, 'NO', 'free', 1, ?, ?)
                """, [member, "N-\(member)", "\(member)@x.example", "\(member)@x.example", now, now])
        }
        // Inserted out of member order, as members register over the years.
        for (id, member, serial) in [("reg_b", "cpm_1", "S1"), ("reg_a", "cpm_2", "S2"), ("reg_c", "cpm_1", nil as String?)] {
            try connection.execute("""
                INSERT INTO cps_registrations (id, member_id, product_id, serial, country_of_purchase, purchased_on, store, second_hand,
                                               added_on, start_reason, completed_on, complete_when_added, ended_on, end_reason, version)
                VALUES (?, ?, 'eos-r5', ?, 'NO', '2025-03-01', 'Shop', 0, '2025-03-02', 'registered', '2025-03-02', 1, NULL, NULL, 1)
                """, [id, member, serial])
        }
        try connection.execute("""
            INSERT INTO cps_repairs (id, member_id, registration_id, product_id, centre_id, dealer_id, service, chargeable, received_at,
                                     level, points, decision, start_on, target_on, benefits, state, version, created_at)
            VALUES ('rep_1', 'cpm_1', 'reg_b', 'eos-r5', 'ctr_1', NULL, 'repair', 1, ?, 'gold', 600, 'fast_track', '2026-01-02',
                    '2026-01-05', '[]', 'received', 1, ?)
            """, [now, now])
    }

    static func registrations(_ pool: DatabasePool) throws -> [String] {
        try pool.read { (connection) throws in
            try connection.fetchAll("SELECT id, member_id, serial, purchased_on, complete_when_added, version FROM cps_registrations ORDER BY id")
                .map { row in
                    "\(try row.get(0, as: String.self)) \(try row.get(1, as: String.self)) \(try row.get(2, as: String?.self) ?? "-") "
                        + "\(try row.get(3, as: String.self)) \(try row.get(4, as: Int.self)) \(try row.get(5, as: Int.self))"
                }
        }
    }

    @Test func theMigrationKeepsEveryRowAndTheReferencesToThem() throws {
        let (database, pool) = try MigrationFixture.database(before: 28, Self.seed)
        defer { withExtendedLifetime(database) {} }
        let before = try Self.registrations(pool)
        #expect(before.count == 3)
        #expect(try Migrator(migrations: Array(Schema.migrations.prefix(28))).migrate(pool) == [28])
        #expect(try Self.registrations(pool) == before)
        try pool.read { (connection) throws in
            // A member's registrations are read from the table's own key.
            let plan = try connection.fetchAll("EXPLAIN QUERY PLAN SELECT * FROM cps_registrations WHERE member_id = 'cpm_1' ORDER BY id")
                .map { try $0.get(3, as: String.self) }
            #expect(plan == ["SEARCH cps_registrations USING PRIMARY KEY (member_id=?)"])
            #expect(try CPSRegistrationStore.all(connection, memberID: "cpm_1").map(\.id) == ["reg_b", "reg_c"])
            #expect(try connection.fetchScalar("SELECT registration_id FROM cps_repairs", as: String.self) == "reg_b")
        }
        try pool.write { (connection) throws in
            #expect(try connection.fetchScalar("PRAGMA foreign_keys", as: Int.self) == 1)
            // An id stays unique on its own, and a serial has one holder.
            #expect(throws: SQLiteError.self) {
                try connection.execute("""
                    INSERT INTO cps_registrations SELECT 'reg_b', 'cpm_2', product_id, 'S9', country_of_purchase, purchased_on, store,
                        second_hand, added_on, start_reason, completed_on, complete_when_added, ended_on, end_reason, version
                    FROM cps_registrations WHERE id = 'reg_a'
                    """)
            }
            #expect(throws: SQLiteError.self) {
                try connection.execute("UPDATE cps_registrations SET serial = 'S1' WHERE id = 'reg_a'")
            }
            // Foreign keys are enforced again on the connection that migrated.
            #expect(throws: SQLiteError.self) {
                try connection.execute("UPDATE cps_registrations SET member_id = 'cpm_9' WHERE id = 'reg_a'")
            }
        }
    }

    @Test func aRebuildThatWouldOrphanARowIsRolledBack() throws {
        let (database, pool) = try MigrationFixture.database(before: 28, Self.seed)
        defer { withExtendedLifetime(database) {} }
        let before = try Self.registrations(pool)
        // The same rebuild, losing the registration the repair refers to.
        let lossy = Migration(version: 28, name: "lossy rebuild", rebuilds: ["cps_registrations"], sql: """
            CREATE TABLE cps_registrations_copy (id TEXT PRIMARY KEY, member_id TEXT NOT NULL REFERENCES cps_members(id)) STRICT;
            INSERT INTO cps_registrations_copy SELECT id, member_id FROM cps_registrations WHERE id <> 'reg_b';
            DROP TABLE cps_registrations;
            ALTER TABLE cps_registrations_copy RENAME TO cps_registrations;
            """)
        let migrator = try Migrator(migrations: Array(Schema.migrations.prefix(27)) + [lossy])
        #expect(throws: MigrationError.brokenReferences(version: 28, rows: ["cps_repairs row 1 -> cps_registrations"], count: 1)) {
            try migrator.migrate(pool)
        }
        #expect(try pool.read { try $0.userVersion() } == 27)
        #expect(try Self.registrations(pool) == before)
        try pool.write { (connection) throws in
            #expect(try connection.fetchScalar("PRAGMA foreign_keys", as: Int.self) == 1)
        }
    }
}
