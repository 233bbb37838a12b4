import Foundation

/// Section E of the seed: technical support through the web e-Support
/// Center or the Technical Support Center by phone; troubleshooting steps
/// are recorded on the case, and it may be escalated once enough are.
public struct IPFSupportCase: Sendable {
    public enum Channel: String, Sendable, CaseIterable {
        case web, phone
    }

    public enum State: String, Sendable, CaseIterable {
        case open, escalated, resolved
    }

    public enum EventType: String, Sendable, CaseIterable {
        case step, escalate, resolve
    }

    public struct Event: Sendable, Equatable {
        public let type: EventType
        public let note: String?
        public let at: Date
    }

    public let id: String
    public let dealerID: String
    public let serial: String
    public let channel: Channel
    public let problem: String
    public var state: State
    public let openedAt: Date
    public var escalatedAt: Date?
    /// The escalated case's response target on the support calendar.
    public var responseDueAt: Date?
    public var events: [Event]
    public var version: Int

    public var troubleshootingSteps: Int { events.filter { $0.type == .step }.count }

    public enum Refusal: Error, Sendable, Equatable {
        /// Escalation before the minimum number of steps.
        case stepsMissing(recorded: Int, required: Int)
        /// The event does not fit the case's state.
        case notAllowed(state: State, event: EventType)
    }

    /// The case after an event at `at`, or why not. Escalation needs the
    /// catalogue's minimum of troubleshooting steps and gets its response
    /// target from `deadline`.
    public func applying(_ type: EventType, note: String?, at: Date, terms: SupportTerms, deadline: (Date) -> Date) -> Result<IPFSupportCase, Refusal> {
        var next = self
        switch (state, type) {
        case (.open, .step), (.escalated, .step):
            break
        case (.open, .escalate):
            let missing = Escalation.missingSteps(recorded: troubleshootingSteps, terms: terms)
            guard missing == 0 else { return .failure(.stepsMissing(recorded: troubleshootingSteps, required: terms.minimumTroubleshootingSteps)) }
            next.state = .escalated
            next.escalatedAt = at
            next.responseDueAt = deadline(at)
        case (.open, .resolve), (.escalated, .resolve):
            next.state = .resolved
        default:
            return .failure(.notAllowed(state: state, event: type))
        }
        next.events.append(Event(type: type, note: note, at: at))
        return .success(next)
    }
}
