/// Where a dealer (or an administrator) wants events pushed. A dealer's
/// endpoint receives that dealer's events only; an endpoint without a
/// dealer, made by an admin key, receives every dealer's.
public struct WebhookEndpoint: Sendable {
    public enum State: String, Sendable, CaseIterable {
        /// Delivering, or retrying within the 24 hours.
        case active
        /// Retries ran out; events wait for `POST .../replay`.
        case failing
    }

    public let id: String
    public let dealerID: String?
    public var url: String
    public var eventTypes: [EventType]
    public var description: String?
    public var state: State
    /// The last event acknowledged (or not for this endpoint); the next
    /// delivery is the first matching event after it.
    public var deliveredThrough: Int
    /// Failed attempts at the event now held back, and when the first was.
    public var failedAttempts: Int
    public var firstFailureMilliseconds: Int?
    public var nextAttemptMilliseconds: Int?
    public var version: Int
    public let createdAt: String
    public var updatedAt: String

    public init(id: String, dealerID: String?, url: String, eventTypes: [EventType], description: String?, state: State,
                deliveredThrough: Int, failedAttempts: Int, firstFailureMilliseconds: Int?, nextAttemptMilliseconds: Int?,
                version: Int, createdAt: String, updatedAt: String) {
        self.id = id
        self.dealerID = dealerID
        self.url = url
        self.eventTypes = eventTypes
        self.description = description
        self.state = state
        self.deliveredThrough = deliveredThrough
        self.failedAttempts = failedAttempts
        self.firstFailureMilliseconds = firstFailureMilliseconds
        self.nextAttemptMilliseconds = nextAttemptMilliseconds
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The feed filter that gives this endpoint's next events.
    public var pending: EventStore.Filter {
        EventStore.Filter(after: deliveredThrough, dealerID: dealerID, types: Set(eventTypes))
    }
}

/// One attempt at delivering one event to one endpoint.
public struct WebhookAttempt: Sendable {
    public let id: Int
    public let endpointID: String
    public let eventID: String
    public let eventType: String
    public let attempt: Int
    public let attemptedAt: String
    public let delivered: Bool
    public let statusCode: Int?
    public let error: String?
    public let latencyMilliseconds: Int

    public init(id: Int, endpointID: String, eventID: String, eventType: String, attempt: Int, attemptedAt: String, delivered: Bool,
                statusCode: Int?, error: String?, latencyMilliseconds: Int) {
        self.id = id
        self.endpointID = endpointID
        self.eventID = eventID
        self.eventType = eventType
        self.attempt = attempt
        self.attemptedAt = attemptedAt
        self.delivered = delivered
        self.statusCode = statusCode
        self.error = error
        self.latencyMilliseconds = latencyMilliseconds
    }
}
