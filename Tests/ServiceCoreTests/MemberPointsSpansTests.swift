import Foundation
import Testing
@testable import ServiceCore

/// Migration 32 keeps on each member's row what its complete registrations
/// add to the points, and whether it has invoices or a welcome pack: filled
/// in for the rows there were, kept in step by triggers with every write after.
@Suite struct MemberPointsSpansTests {
    static let now = MigrationFixture.now
    static func date(_ text: String) -> LocalDate { LocalDate(text)! }

    static func insertMember(_ connection: Connection, _ id: String) throws {
        try connection.execute("""
            INSERT INTO cps_members (id, membership_number, name, email, email_key, country, programme, version, created_at, updated_at)
            VALUES (?, ?, 'M', ?, ?, 'NO', 'free', 1, ?, ?)
            """, [id, "N-\(id)", "\(id)@x.example", "\(id)@x.example", now, now])
    }

    static func insertRegistration(_ connection: Connection, _ id: String, member: String, product: String,
                                   completedOn: String?, endedOn: String? = nil) throws {
        try connection.execute("""
            INSERT INTO cps_registrations (id, member_id, product_id, serial, country_of_purchase, purchased_on, store, second_hand,
                                           added_on, start_reason, completed_on, complete_when_added, ended_on, end_reason, version)
            VALUES (?, ?, ?, ?, 'NO', '2025-01-02', 'Shop', 0, '2025-01-03', 'registered', ?, 1, ?, ?, 1)
            """, [id, member, product, "S-\(id)", completedOn, endedOn, endedOn == nil ? nil : "removed"])
    }

    /// cpm_1: a body complete and held, a lens never completed, a lens held
    /// from January to June. cpm_2: no products, one invoice, one welcome pack.
    static func seed(_ connection: Connection) throws {
        try insertMember(connection, "cpm_1")
        try insertMember(connection, "cpm_2")
        try insertRegistration(connection, "reg_1", member: "cpm_1", product: "eos-r5", completedOn: "2025-01-03")
        try insertRegistration(connection, "reg_2", member: "cpm_1", product: "rf-24-70", completedOn: nil)
        try insertRegistration(connection, "reg_3", member: "cpm_1", product: "rf-70-200", completedOn: "2025-01-05", endedOn: "2025-06-01")
        try connection.execute("""
            INSERT INTO cps_invoices (id, member_id, level, payment_method, term_starts_on, term_ends_on, issued_on, due_on,
                                      amount_minor, fee_minor, currency, paid_on, created_at)
            VALUES ('inv_1', 'cpm_2', 'silver', 'card', '2026-01-01', '2027-01-01', '2026-01-01', '2026-01-31', 9900, 0, 'EUR', NULL, ?)
            """, [now])
        try connection.execute("""
            INSERT INTO cps_welcome_packs (id, member_id, level_at_request, address, requested_on, sent_on, version)
            VALUES ('wp_1', 'cpm_2', 'silver', '{"recipient":"M","line1":"Street 1","postal_code":"0150","city":"Oslo","country":"NO"}',
                    '2026-01-02', NULL, 1)
            """)
    }

    /// The member as its hot read finds it, after checking that the spans
    /// the triggers kept are those the full record derives from its rows.
    static func spanned(_ pool: DatabasePool, _ id: String) throws -> CPSMemberStore.Spanned {
        let (found, record) = try pool.read { connection in
            (try CPSMemberStore.findSpanned(connection, id: id), try CPSMemberRecord.require(connection, id: id))
        }
        let spanned = try #require(found)
        #expect(sorted(spanned.spans) == sorted(record.summary.spans), "the stored spans of \(id) differ from its registrations'")
        return spanned
    }

    /// Spans compared without their order, which the column does not keep.
    static func sorted(_ spans: [PointsSpan]) -> [String] {
        spans.map { "\($0.productID) \($0.completedOn?.description ?? "?") \($0.endedOn?.description ?? "-")" }.sorted()
    }

    @Test func theMigrationFillsInTheRowsThereWere() throws {
        let (database, pool) = try MigrationFixture.database(before: 32, Self.seed)
        defer { withExtendedLifetime(database) {} }
        #expect(try Migrator(migrations: Array(Schema.migrations.prefix(32))).migrate(pool) == [32])
        let first = try Self.spanned(pool, "cpm_1")
        #expect(Self.sorted(first.spans) == ["eos-r5 2025-01-03 -", "rf-70-200 2025-01-05 2025-06-01"])
        #expect(!first.hasInvoices && !first.hasWelcomePack)
        let second = try Self.spanned(pool, "cpm_2")
        #expect(second.spans.isEmpty)
        #expect(second.hasInvoices && second.hasWelcomePack)
        #expect(try pool.read { try $0.fetchScalar("SELECT points_spans FROM cps_members WHERE id = 'cpm_2'", as: String.self) } == "")
    }

    @Test func everyWriteToARegistrationKeepsItsMembersSpans() throws {
        let (database, pool) = try MigrationFixture.database(before: Schema.migrations.count + 1, Self.seed)
        defer { withExtendedLifetime(database) {} }
        // Completed later: it counts from then.
        try pool.write { try $0.execute("UPDATE cps_registrations SET completed_on = '2025-02-10' WHERE id = 'reg_2'") }
        #expect(Self.sorted(try Self.spanned(pool, "cpm_1").spans)
            == ["eos-r5 2025-01-03 -", "rf-24-70 2025-02-10 -", "rf-70-200 2025-01-05 2025-06-01"])
        // Removed from the Kitbag: it ends.
        try pool.write { try $0.execute("UPDATE cps_registrations SET ended_on = '2025-09-01', end_reason = 'removed' WHERE id = 'reg_1'") }
        #expect(Self.sorted(try Self.spanned(pool, "cpm_1").spans)
            == ["eos-r5 2025-01-03 2025-09-01", "rf-24-70 2025-02-10 -", "rf-70-200 2025-01-05 2025-06-01"])
        // Moved to another member: it leaves one and joins the other.
        try pool.write { try $0.execute("UPDATE cps_registrations SET member_id = 'cpm_2' WHERE id = 'reg_2'") }
        #expect(Self.sorted(try Self.spanned(pool, "cpm_1").spans) == ["eos-r5 2025-01-03 2025-09-01", "rf-70-200 2025-01-05 2025-06-01"])
        #expect(Self.sorted(try Self.spanned(pool, "cpm_2").spans) == ["rf-24-70 2025-02-10 -"])
        // A new one, and one deleted.
        try pool.write {
            try Self.insertRegistration($0, "reg_4", member: "cpm_2", product: "ef-100", completedOn: "2026-03-01")
            try $0.execute("DELETE FROM cps_registrations WHERE id = 'reg_3'")
        }
        #expect(Self.sorted(try Self.spanned(pool, "cpm_1").spans) == ["eos-r5 2025-01-03 2025-09-01"])
        #expect(Self.sorted(try Self.spanned(pool, "cpm_2").spans) == ["ef-100 2026-03-01 -", "rf-24-70 2025-02-10 -"])
        // An incomplete one adds nothing.
        try pool.write { try Self.insertRegistration($0, "reg_5", member: "cpm_1", product: "ef-50", completedOn: nil) }
        #expect(Self.sorted(try Self.spanned(pool, "cpm_1").spans) == ["eos-r5 2025-01-03 2025-09-01"])
    }

    @Test func aFirstInvoiceOrWelcomePackIsFlaggedOnItsMember() throws {
        let (database, pool) = try MigrationFixture.database(before: Schema.migrations.count + 1, Self.seed)
        defer { withExtendedLifetime(database) {} }
        #expect(!(try Self.spanned(pool, "cpm_1").hasInvoices))
        try pool.write { try $0.execute("UPDATE cps_invoices SET member_id = 'cpm_1' WHERE id = 'inv_1'") }
        #expect(try Self.spanned(pool, "cpm_1").hasInvoices)
        try pool.write { try $0.execute("UPDATE cps_welcome_packs SET member_id = 'cpm_1' WHERE id = 'wp_1'") }
        #expect(try Self.spanned(pool, "cpm_1").hasWelcomePack)
        try pool.write { connection in
            try Self.insertMember(connection, "cpm_3")
            try CPSInvoiceStore.insert(connection, CPSInvoice(
                id: "inv_3", memberID: "cpm_3", level: .gold, paymentMethod: .bankTransfer, termStartsOn: Self.date("2026-02-01"),
                termEndsOn: Self.date("2027-02-01"), issuedOn: Self.date("2026-02-01"), dueOn: Self.date("2026-03-03"),
                amountMinor: 19_900, feeMinor: 500, currency: "EUR", paidOn: nil))
        }
        let third = try Self.spanned(pool, "cpm_3")
        #expect(third.hasInvoices && !third.hasWelcomePack)
        #expect(try pool.read { try CPSMemberSummary.require($0, id: "cpm_3") }.invoices.map(\.id) == ["inv_3"])
    }

    /// The hot read is one statement for a member with neither invoices nor
    /// a pack (most of them), and one more for each it has.
    @Test func theMemberReadLooksUpOnlyWhatTheMemberHas() throws {
        let (database, pool) = try MigrationFixture.database(before: Schema.migrations.count + 1, Self.seed)
        defer { withExtendedLifetime(database) {} }
        let (first, firstStatements) = try pool.read { connection in
            try connection.countingStatements { try CPSMemberSummary.require(connection, id: "cpm_1") }
        }
        #expect(firstStatements == 1)
        #expect(first.spans.count == 2 && first.invoices.isEmpty && first.welcomePack == nil)
        let (second, secondStatements) = try pool.read { connection in
            try connection.countingStatements { try CPSMemberSummary.require(connection, id: "cpm_2") }
        }
        #expect(secondStatements == 3)
        #expect(second.invoices.map(\.id) == ["inv_1"] && second.welcomePack?.id == "wp_1")
    }

    @Test func wellFormedStoredSpansAreRead() {
        var text = "eos-r5 2025-01-03 -;rf-70-200 2025-01-05 2025-06-01"
        #expect(text.withUTF8 { StoredPointsSpans.parse($0) } == [
            PointsSpan(productID: "eos-r5", completedOn: Self.date("2025-01-03"), endedOn: nil),
            PointsSpan(productID: "rf-70-200", completedOn: Self.date("2025-01-05"), endedOn: Self.date("2025-06-01")),
        ])
        var empty = ""
        #expect(empty.withUTF8 { StoredPointsSpans.parse($0) } == [])
    }

    /// With the catalogue's ids the spans are the same; an id the catalogue
    /// lacks (a product since dropped from it) is read all the same.
    @Test func storedSpansReadWithTheCataloguesIdsAreTheSame() {
        let catalogue = InternedStrings(["eos-r5", "rf-100-500mm-f4-5-7-1l-is-usm", "rf-70-200", "rf-70-201"])
        var text = "rf-100-500mm-f4-5-7-1l-is-usm 2025-01-03 -;rf-70-201 2025-01-05 2025-06-01;eos-r9 2025-02-01 -"
        let expected = [
            PointsSpan(productID: "rf-100-500mm-f4-5-7-1l-is-usm", completedOn: Self.date("2025-01-03"), endedOn: nil),
            PointsSpan(productID: "rf-70-201", completedOn: Self.date("2025-01-05"), endedOn: Self.date("2025-06-01")),
            PointsSpan(productID: "eos-r9", completedOn: Self.date("2025-02-01"), endedOn: nil),
        ]
        #expect(text.withUTF8 { StoredPointsSpans.parse($0, productIDs: catalogue) } == expected)
        #expect(text.withUTF8 { StoredPointsSpans.parse($0) } == expected)
    }

    @Test func internedStringsHandOutTheListsOwnStringOrANewOne() {
        let long = String(repeating: "rf-lens-", count: 4)
        let list = InternedStrings([long, "eos-r5", "eos-r6", ""])
        var key = long
        let found = key.withUTF8 { list.string(utf8: $0) }
        #expect(found == long)
        // The same storage, not an equal copy: the point of interning.
        #expect(found.utf8.withContiguousStorageIfAvailable { $0.baseAddress } == long.utf8.withContiguousStorageIfAvailable { $0.baseAddress })
        for other in ["eos-r6", "eos-r7", "x", String(repeating: "y", count: 100)] {
            var bytes = other
            #expect(bytes.withUTF8 { list.string(utf8: $0) } == other)
        }
    }

    @Test func internedStringsFindPositionsFirstOneWinning() {
        let list = InternedStrings(["eos-r5", "eos-r6", "", "rf-70-200", "eos-r5", "eos-r7"])
        let expected: [String: Int?] = ["eos-r5": 0, "eos-r6": 1, "": 2, "rf-70-200": 3, "eos-r7": 5,
                                        "eos-r8": nil, "EOS-R5": nil, "eos-r": nil, String(repeating: "z", count: 40): nil]
        for (string, position) in expected {
            #expect(list.position(of: string) == position, "\(string)")
        }
        #expect(InternedStrings.none.position(of: "") == nil && InternedStrings.none.position(of: "eos-r5") == nil)
    }

    /// Malformed spans are an error naming the column, never a smaller total.
    @Test(arguments: [
        "eos-r5 2025-01-03", "eos-r5 2025-01-03 x", "eos-r5 2025-02-30 -", " 2025-01-03 -", "eos-r5 2025-01-03 -;",
        "eos-r5 2025-01-03 -;;eos-r6 2025-01-03 -", "eos-r5  2025-01-03 -", "eos-r5 2025-01-03 2025-13-01",
        "eos r5 2025-01-03 -", "eos-r5 2025-01-03 -x", "eos-r5 2025-01-03-2025-06-01", "eos-r5 2025-01-03 2025-06-01 -",
    ])
    func malformedStoredSpansAreRefused(stored: String) throws {
        var text = stored
        #expect(text.withUTF8 { StoredPointsSpans.parse($0) } == nil)
    }
}
