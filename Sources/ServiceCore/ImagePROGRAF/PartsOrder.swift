/// Section D of the seed: parts and service material ordered through Canon
/// Network Access (CNA) or the National Parts Order Center (NPOC). An
/// order moves submitted -> confirmed -> shipped -> delivered, and may be
/// cancelled until it ships.
public struct IPFOrder: Sendable {
    public enum Channel: String, Sendable, CaseIterable {
        case cna, npoc
    }

    public enum State: String, Sendable, CaseIterable {
        case submitted, confirmed, shipped, delivered, cancelled
    }

    public enum EventType: String, Sendable, CaseIterable {
        case confirm, ship, deliver, cancel
    }

    public struct Line: Sendable, Equatable {
        public let partNumber: String
        public let quantity: Int

        public init(partNumber: String, quantity: Int) {
            self.partNumber = partNumber
            self.quantity = quantity
        }
    }

    public struct Event: Sendable, Equatable {
        public let type: EventType
        public let note: String?
        public let at: String
    }

    public let id: String
    public let dealerID: String
    public let channel: Channel
    public let lines: [Line]
    public let claimID: String?
    public var state: State
    public var events: [Event]
    public var version: Int
    public let createdAt: String

    /// The state an event leads to from `state`; nil when it does not fit.
    public static func transition(from state: State, _ event: EventType) -> State? {
        switch (state, event) {
        case (.submitted, .confirm): .confirmed
        case (.confirmed, .ship): .shipped
        case (.shipped, .deliver): .delivered
        case (.submitted, .cancel), (.confirmed, .cancel): .cancelled
        default: nil
        }
    }
}
