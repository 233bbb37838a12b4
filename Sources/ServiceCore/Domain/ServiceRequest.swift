import Foundation

/// A service request and the rules of its life: the states it moves
/// through, and the SLA figures that follow from its times.
public struct ServiceRequest: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable { case open, responded, on_hold, resolved, closed, cancelled }
    public enum Category: String, Sendable, CaseIterable { case fault, consumable, installation, training, device_alert, other }
    public enum Source: String, Sendable, CaseIterable { case portal, phone, email, dms }
    public enum EventType: String, Sendable, CaseIterable { case respond, hold, resume, resolve, close, cancel, reopen }
    public enum Cause: String, Sendable, CaseIterable { case outside_responsibility }

    public struct Event: Sendable, Equatable {
        public let type: EventType
        public let at: Date
        public let note: String?

        public init(type: EventType, at: Date, note: String?) {
            self.type = type
            self.at = at
            self.note = note
        }
    }

    public let id: String
    public let deviceSerial: String
    public let customerID: String
    public let dealerID: String
    /// The contract covering the device on the reported day; nil when uncovered.
    public let contractID: String?
    /// The tier in force on the reported day.
    public let tier: TierID?
    public let reportedAt: Date
    public let category: Category
    public let description: String
    public let source: Source
    public var state: State
    public let clockStartsAt: Date?
    public let responseDueAt: Date?
    public var firstResponseAt: Date?
    public var resolvedAt: Date?
    public var cause: Cause?
    public var billableMinutes: Int?
    public var events: [Event]
    public var version: Int

    public init(
        id: String, deviceSerial: String, customerID: String, dealerID: String, contractID: String?, tier: TierID?,
        reportedAt: Date, category: Category, description: String, source: Source, state: State, clockStartsAt: Date?,
        responseDueAt: Date?, firstResponseAt: Date?, resolvedAt: Date?, cause: Cause?, billableMinutes: Int?,
        events: [Event], version: Int
    ) {
        self.id = id
        self.deviceSerial = deviceSerial
        self.customerID = customerID
        self.dealerID = dealerID
        self.contractID = contractID
        self.tier = tier
        self.reportedAt = reportedAt
        self.category = category
        self.description = description
        self.source = source
        self.state = state
        self.clockStartsAt = clockStartsAt
        self.responseDueAt = responseDueAt
        self.firstResponseAt = firstResponseAt
        self.resolvedAt = resolvedAt
        self.cause = cause
        self.billableMinutes = billableMinutes
        self.events = events
        self.version = version
    }

    public var isCovered: Bool { contractID != nil }

    /// Outside-responsibility work and uncovered requests are billed by the hour.
    public var isBillable: Bool { !isCovered || cause == .outside_responsibility }

    public struct TransitionError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Applies an event, or says why it does not fit the current state.
    /// `cause` and `billableMinutes` only accompany `resolve`.
    public func applying(_ event: Event, cause: Cause? = nil, billableMinutes: Int? = nil) throws(TransitionError) -> ServiceRequest {
        if let last = events.last?.at, event.at < last {
            throw TransitionError(description: "at must not be earlier than the previous event (\(RFC3339.format(last)))")
        }
        if event.at < reportedAt {
            throw TransitionError(description: "at must not be earlier than reported_at")
        }
        var next = self
        switch (event.type, state) {
        case (.respond, .open):
            next.state = .responded
        case (.hold, .open), (.hold, .responded):
            next.state = .on_hold
        case (.resume, .on_hold):
            next.state = firstResponseAt == nil ? .open : .responded
        case (.resolve, .open), (.resolve, .responded), (.resolve, .on_hold):
            next.state = .resolved
            next.resolvedAt = event.at
            next.cause = cause
            next.billableMinutes = billableMinutes
        case (.close, .resolved):
            next.state = .closed
        case (.cancel, .open), (.cancel, .responded), (.cancel, .on_hold):
            next.state = .cancelled
        case (.reopen, .resolved), (.reopen, .closed):
            next.state = .responded
            next.resolvedAt = nil
            next.cause = nil
            next.billableMinutes = nil
        default:
            throw TransitionError(description: "cannot \(event.type.rawValue) a request that is \(state.rawValue)")
        }
        // The first answer the customer gets, an explicit response or the
        // resolution itself, stops the response clock.
        if next.firstResponseAt == nil, event.type == .respond || event.type == .resolve {
            next.firstResponseAt = event.at
        }
        next.events.append(event)
        return next
    }

    /// Support minutes from clock start to first response.
    public func responseMinutes(_ calendar: SupportCalendar) -> Int? {
        guard let start = clockStartsAt, let response = firstResponseAt else { return nil }
        return calendar.supportMinutes(from: start, to: response)
    }

    public var responseBreached: Bool? {
        guard let due = responseDueAt, let response = firstResponseAt else { return nil }
        return response > due
    }

    /// Breached at `now`: answered after the deadline, or still unanswered
    /// past it (from the moment it passes, whatever comes later); false
    /// when answered in time; nil without a deadline or before it.
    public func responseBreached(at now: Date) -> Bool? {
        responseBreached ?? (isOverdue(at: now) ? true : nil)
    }

    /// Unanswered, still expected to be answered, and past its deadline.
    public func isOverdue(at now: Date) -> Bool {
        guard let due = responseDueAt, firstResponseAt == nil else { return false }
        return state != .cancelled && now > due
    }
}
