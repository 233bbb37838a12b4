import ServiceJSON

/// One entry of the outbox: what changed, for which dealer, and the
/// resource as it was right after the change. `sequence` orders the feed and
/// every endpoint's deliveries; `id` is what receivers de-duplicate on.
public struct DomainEvent: Sendable {
    public let sequence: Int
    public let id: String
    public let type: EventType
    public let occurredAt: String
    /// Nil for events about every dealer at once (a billing run's grand
    /// total) or about no dealer (a repair at Canon's own centre), which only
    /// admin and billing keys and admin endpoints see.
    public let dealerID: String?
    public let resourceType: String
    public let resourceID: String
    public let data: JSONValue

    public init(sequence: Int, id: String, type: EventType, occurredAt: String, dealerID: String?, resourceType: String,
                resourceID: String, data: JSONValue) {
        self.sequence = sequence
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.dealerID = dealerID
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.data = data
    }

    /// The event as the feed lists it and a webhook delivery posts it.
    public var json: JSONValue {
        .object([
            ("id", .string(id)), ("type", .string(type.rawValue)), ("timestamp", .string(occurredAt)),
            ("dealer_id", dealerID.map(JSONValue.string) ?? .null),
            ("resource", .object([("type", .string(resourceType)), ("id", .string(resourceID))])),
            ("data", data),
        ])
    }
}
