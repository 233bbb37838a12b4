import Foundation
import Testing
@testable import ServiceCore

@Suite struct IPFOrderAndSupportCaseTests {
    @Test func ordersMoveForwardAndCancelOnlyBeforeShipping() {
        #expect(IPFOrder.transition(from: .submitted, .confirm) == .confirmed)
        #expect(IPFOrder.transition(from: .confirmed, .ship) == .shipped)
        #expect(IPFOrder.transition(from: .shipped, .deliver) == .delivered)
        #expect(IPFOrder.transition(from: .submitted, .cancel) == .cancelled)
        #expect(IPFOrder.transition(from: .confirmed, .cancel) == .cancelled)
        #expect(IPFOrder.transition(from: .shipped, .cancel) == nil)
        #expect(IPFOrder.transition(from: .submitted, .ship) == nil)
        #expect(IPFOrder.transition(from: .delivered, .deliver) == nil)
        #expect(IPFOrder.transition(from: .cancelled, .confirm) == nil)
    }

    static let calendar = SupportCalendar(timeZone: TimeZone(identifier: "Europe/Oslo")!, hours: [1: 480...960, 2: 480...960, 3: 480...960,
                                                                                              4: 480...960, 5: 480...960])
    static let terms = SupportTerms(minimumTroubleshootingSteps: 3, escalatedResponse: .businessHours(4))

    static func open(at: Date) -> IPFSupportCase {
        IPFSupportCase(id: "isc_1", dealerID: "dlr_1", serial: "AA1", channel: .phone, problem: "banding", state: .open, openedAt: at,
                       escalatedAt: nil, responseDueAt: nil, events: [], version: 1)
    }

    @Test func escalationIsRefusedUntilEnoughStepsThenGetsItsTargetOnTheSupportCalendar() throws {
        // Monday 30 November 2026 14:00 in Oslo (13:00Z). Four support hours: 14:00-16:00 Monday (2 h),
        // then Tuesday 08:00-10:00 (2 h): due Tuesday 1 December 10:00 Oslo = 09:00Z.
        let at = RFC3339.parse("2026-11-30T13:00:00Z")!
        let deadline = { (at: Date) in Self.calendar.deadline(for: Self.terms.escalatedResponse, reportedAt: at).responseDueAt }
        var supportCase = Self.open(at: at)
        for step in 0..<3 {
            let early = supportCase.applying(.escalate, note: nil, at: at, terms: Self.terms, deadline: deadline)
            #expect(early.failure == .stepsMissing(recorded: step, required: 3))
            supportCase = try supportCase.applying(.step, note: "step \(step + 1)", at: at, terms: Self.terms, deadline: deadline).get()
        }
        let escalated = try supportCase.applying(.escalate, note: nil, at: at, terms: Self.terms, deadline: deadline).get()
        #expect(escalated.state == .escalated)
        #expect(escalated.responseDueAt == RFC3339.parse("2026-12-01T09:00:00Z"))
        #expect(escalated.applying(.escalate, note: nil, at: at, terms: Self.terms, deadline: deadline).failure == .notAllowed(state: .escalated, event: .escalate))
        let resolved = try escalated.applying(.resolve, note: "new head", at: at, terms: Self.terms, deadline: deadline).get()
        #expect(resolved.state == .resolved)
        #expect(resolved.applying(.step, note: "x", at: at, terms: Self.terms, deadline: deadline).failure == .notAllowed(state: .resolved, event: .step))
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
