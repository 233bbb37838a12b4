import Foundation
import Testing
@testable import ServiceCore

/// The member read without its Kitbag: what each complete registration adds
/// to the points, kept on the member's row, gives the totals worked out by hand
/// (products and rules of `CPSRulesTests`: lens base 85, superseded from
/// 2025-03-01 to 43; body 60; Silver from 100).
@Suite struct CPSMemberSummaryTests {
    static let rules = CPSRulesTests.rules()
    static func date(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test func aSpanCountsFromTheDayItWasCompleteUntilTheDayItEnded() {
        let span = PointsSpan(productID: "lens", completedOn: Self.date("2025-02-01"), endedOn: Self.date("2025-06-01"))
        #expect(!span.counts(on: Self.date("2025-01-31")))
        #expect(span.counts(on: Self.date("2025-02-01")))
        #expect(span.counts(on: Self.date("2025-05-31")))
        #expect(!span.counts(on: Self.date("2025-06-01")))
        #expect(!PointsSpan(productID: "lens", completedOn: nil, endedOn: nil).counts(on: Self.date("2030-01-01")))
    }

    /// r1 body complete on 2025-01-10; r2 lens never completed; r3 lens complete
    /// on 2025-02-01 and removed on 2025-06-01.
    static func member(_ connection: Connection) throws -> CPSMember {
        let member = try CPSMemberStore.create(connection, .init(name: "A", email: "a@example.com", country: "NO", programme: .free))
        let incomplete = Registration.Details(serial: "77", countryOfPurchase: "NO")
        var removed = CPSRulesTests.registration("cpr_3", CPSRulesTests.lens, member: member.id, on: "2025-02-01")
        removed.endedOn = Self.date("2025-06-01")
        removed.endReason = .removed
        for registration in [CPSRulesTests.registration("cpr_1", CPSRulesTests.body, member: member.id),
                             CPSRulesTests.registration("cpr_2", CPSRulesTests.lens, member: member.id, details: incomplete), removed] {
            try CPSRegistrationStore.insert(connection, registration)
        }
        return member
    }

    @Test func theSummaryReadsEachRegistrationsSpanAndGivesTheHandWorkedStanding() throws {
        let (database, pool) = try MigrationFixture.database(before: Schema.migrations.count + 1) { _ in }
        defer { withExtendedLifetime(database) {} }
        let member = try pool.write { try Self.member($0) }
        let summary = try pool.read { try CPSMemberSummary.require($0, id: member.id) }
        // The incomplete lens adds nothing on any date: it has no span.
        #expect(summary.spans.count == 2)
        #expect(summary.spans.contains(PointsSpan(productID: "body", completedOn: Self.date("2025-01-10"), endedOn: nil)))
        #expect(summary.spans.contains(PointsSpan(productID: "lens", completedOn: Self.date("2025-02-01"), endedOn: Self.date("2025-06-01"))))
        // 2025-01-31: the body alone, 60: Red, 40 to Silver.
        let january = summary.standing(on: Self.date("2025-01-31"), rules: Self.rules)
        #expect((january.points, january.level, january.pointsToNextLevel) == (60, .red, 40))
        // 2025-02-28: body 60 + lens 85 = 145: Silver, 355 to Gold.
        let february = summary.standing(on: Self.date("2025-02-28"), rules: Self.rules)
        #expect((february.points, february.level, february.pointsToNextLevel) == (145, .silver, 355))
        // 2025-03-01: the lens superseded, 60 + 43 = 103: still Silver.
        #expect(summary.standing(on: Self.date("2025-03-01"), rules: Self.rules).points == 103)
        // 2025-06-01: the lens removed, 60: Red again.
        let june = summary.standing(on: Self.date("2025-06-01"), rules: Self.rules)
        #expect((june.points, june.level) == (60, .red))
        // The full record, Kitbag and all, stands the same.
        let record = try pool.read { try CPSMemberRecord.require($0, id: member.id) }
        #expect(record.standing(on: Self.date("2025-02-28"), rules: Self.rules) == february)
    }

    @Test func aStoredCompletionDateThatIsNotADateIsAnErrorNotAnIncompleteRegistration() throws {
        let (database, pool) = try MigrationFixture.database(before: Schema.migrations.count + 1) { _ in }
        defer { withExtendedLifetime(database) {} }
        let member = try pool.write { try Self.member($0) }
        try pool.write { try $0.execute("UPDATE cps_registrations SET completed_on = '2025-02-30' WHERE id = 'cpr_1'") }
        #expect(try pool.read { try $0.fetchScalar("SELECT points_spans FROM cps_members", as: String.self) }.contains("2025-02-30"))
        #expect(throws: RowDecodingError.self) { try pool.read { try CPSMemberSummary.require($0, id: member.id) } }
    }

    @Test func anUnknownMemberIsNotFound() throws {
        let (database, pool) = try MigrationFixture.database(before: Schema.migrations.count + 1) { _ in }
        defer { withExtendedLifetime(database) {} }
        #expect(throws: CPSFailure.self) { try pool.read { try CPSMemberSummary.require($0, id: "cpm_nobody") } }
    }
}
