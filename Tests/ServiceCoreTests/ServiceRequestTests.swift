import Foundation
import Testing
@testable import ServiceCore

@Suite struct ServiceRequestTests {
    static func at(_ text: String) -> Date { RFC3339.parse(text)! }

    static func request(state: ServiceRequest.State = .open, covered: Bool = true, due: String? = "2026-03-03T10:00:00+01:00",
                        responded: String? = nil) -> ServiceRequest {
        ServiceRequest(
            id: "srq", deviceSerial: "S", customerID: "c", dealerID: "d", contractID: covered ? "con" : nil, tier: covered ? .premium : nil,
            reportedAt: at("2026-03-02T14:00:00+01:00"), category: .fault, description: "jam", source: .phone, state: state,
            clockStartsAt: covered ? at("2026-03-02T14:00:00+01:00") : nil, responseDueAt: due.map(at),
            firstResponseAt: responded.map(at), resolvedAt: nil, cause: nil, billableMinutes: nil, events: [], version: 1
        )
    }

    /// Every event against every state: the allowed ones and where they lead.
    @Test func transitionTable() {
        let allowed: [ServiceRequest.EventType: [ServiceRequest.State: ServiceRequest.State]] = [
            .respond: [.open: .responded],
            .hold: [.open: .on_hold, .responded: .on_hold],
            .resume: [.on_hold: .open],
            .resolve: [.open: .resolved, .responded: .resolved, .on_hold: .resolved],
            .close: [.resolved: .closed],
            .cancel: [.open: .cancelled, .responded: .cancelled, .on_hold: .cancelled],
            .reopen: [.resolved: .responded, .closed: .responded],
        ]
        for type in ServiceRequest.EventType.allCases {
            for state in ServiceRequest.State.allCases {
                let event = ServiceRequest.Event(type: type, at: Self.at("2026-03-02T15:00:00+01:00"), note: nil)
                let result = try? Self.request(state: state).applying(event)
                #expect(result?.state == allowed[type]?[state], "\(type) from \(state)")
            }
        }
    }

    @Test func resumeReturnsToRespondedOnceAnswered() throws {
        let answered = try Self.request().applying(.init(type: .respond, at: Self.at("2026-03-02T15:00:00+01:00"), note: nil))
            .applying(.init(type: .hold, at: Self.at("2026-03-02T15:10:00+01:00"), note: "waiting for part"))
            .applying(.init(type: .resume, at: Self.at("2026-03-03T09:00:00+01:00"), note: nil))
        #expect(answered.state == .responded)
        #expect(answered.firstResponseAt == Self.at("2026-03-02T15:00:00+01:00"))
        #expect(answered.events.map(\.type) == [.respond, .hold, .resume])
    }

    @Test func eventsMayNotGoBackInTime() throws {
        let responded = try Self.request().applying(.init(type: .respond, at: Self.at("2026-03-02T15:00:00+01:00"), note: nil))
        #expect(throws: ServiceRequest.TransitionError.self) {
            try responded.applying(.init(type: .resolve, at: Self.at("2026-03-02T14:30:00+01:00"), note: nil))
        }
        #expect(throws: ServiceRequest.TransitionError.self) {
            try Self.request().applying(.init(type: .respond, at: Self.at("2026-03-02T13:00:00+01:00"), note: nil))
        }
    }

    /// Reported Monday 14:00, premium: due Tuesday 10:00.
    @Test func breachAndSupportMinutesByHand() throws {
        let calendar = SupportCalendarTests.calendar
        let late = try Self.request().applying(.init(type: .respond, at: Self.at("2026-03-03T10:30:00+01:00"), note: nil))
        #expect(late.responseBreached == true)
        #expect(late.responseMinutes(calendar) == 120 + 150)  // Mon 14-16, Tue 08-10:30
        let early = try Self.request().applying(.init(type: .respond, at: Self.at("2026-03-03T09:00:00+01:00"), note: nil))
        #expect(early.responseBreached == false)
        #expect(early.responseMinutes(calendar) == 180)
        let exact = try Self.request().applying(.init(type: .respond, at: Self.at("2026-03-03T10:00:00+01:00"), note: nil))
        #expect(exact.responseBreached == false)
        // Resolving without an explicit response is the first response.
        let resolved = try Self.request().applying(.init(type: .resolve, at: Self.at("2026-03-02T15:00:00+01:00"), note: nil))
        #expect(resolved.firstResponseAt == Self.at("2026-03-02T15:00:00+01:00"))
        #expect(resolved.responseMinutes(calendar) == 60)
    }

    @Test func overdueOnlyWhileUnansweredPastDue() {
        let open = Self.request()
        #expect(!open.isOverdue(at: Self.at("2026-03-03T10:00:00+01:00")))
        #expect(open.isOverdue(at: Self.at("2026-03-03T10:00:01+01:00")))
        #expect(!Self.request(responded: "2026-03-03T11:00:00+01:00").isOverdue(at: Self.at("2026-03-04T00:00:00Z")))
        #expect(!Self.request(state: .cancelled).isOverdue(at: Self.at("2026-03-04T00:00:00Z")))
        #expect(!Self.request(covered: false, due: nil).isOverdue(at: Self.at("2027-01-01T00:00:00Z")))
    }

    @Test func billableWhenUncoveredOrOutsideResponsibility() throws {
        #expect(!Self.request().isBillable)
        #expect(Self.request(covered: false, due: nil).isBillable)
        let outside = try Self.request().applying(.init(type: .resolve, at: Self.at("2026-03-02T15:00:00+01:00"), note: nil),
                                                  cause: .outside_responsibility, billableMinutes: 45)
        #expect(outside.isBillable)
        #expect(outside.billableMinutes == 45)
        let reopened = try outside.applying(.init(type: .reopen, at: Self.at("2026-03-02T16:30:00+01:00"), note: nil))
        #expect(reopened.cause == nil && reopened.billableMinutes == nil && reopened.resolvedAt == nil)
    }

    /// Three premium requests answered in 60, 180 and 270 minutes (the last
    /// late) and one unanswered past due: median of 60, 180, 270 is 180.
    @Test func slaReportByHand() throws {
        let calendar = SupportCalendarTests.calendar
        let requests = [
            try Self.request().applying(.init(type: .respond, at: Self.at("2026-03-02T15:00:00+01:00"), note: nil)),
            try Self.request().applying(.init(type: .respond, at: Self.at("2026-03-03T09:00:00+01:00"), note: nil)),
            try Self.request().applying(.init(type: .respond, at: Self.at("2026-03-03T10:30:00+01:00"), note: nil)),
            Self.request(),
            Self.request(covered: false, due: nil),
        ]
        let rows = SLAReport.rows(requests, calendar: calendar, now: Self.at("2026-03-05T12:00:00Z"))
        let premium = try #require(rows.first { $0.tier == .premium })
        #expect(premium == SLAReportRow(tier: .premium, requests: 4, answeredInTime: 2, breached: 2, openAndOverdue: 1,
                                        medianMinutesToFirstResponse: 180))
        #expect(rows.first { $0.tier == .standard }?.requests == 0)
        #expect(SLAReport.median([4, 1, 3, 2]) == 2.5)
        #expect(SLAReport.median([]) == nil)
    }
}
