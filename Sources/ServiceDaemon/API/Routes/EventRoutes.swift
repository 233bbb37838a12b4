import ServiceCore
import ServiceHTTP
import ServiceJSON

/// The event feed: the outbox in order, for portals that pull rather than
/// take webhooks. A dealer key sees its own dealer's events only.
struct EventRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.get("/events?after&types&limit") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let limit = try request.limit()
            let filter = EventStore.Filter(after: try after(request), dealerID: principal.dealerScope, types: try types(request))
            let rows = try api.read { try EventStore.list($0, filter, limit: limit + 1) }
            let events = rows.prefix(limit)
            // Always a cursor to resume from, even when the page is empty.
            let next = events.last.map(\.sequence) ?? filter.after
            return APIResponse.json(.ok, .object([
                ("items", .array(events.map(\.json))), ("next_cursor", .string(Cursor.encode(String(next)))),
                ("has_more", .bool(rows.count > limit)),
            ]))
        }
    }

    /// `?after=`: a `next_cursor` this feed gave; absent, from the first event.
    private func after(_ request: HTTPRequest) throws -> Int {
        guard let cursor = request.query["after"] else { return 0 }
        // A sequence number, as the document's pattern says: digits only.
        guard (1...18).contains(cursor.utf8.count), cursor.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let sequence = Int(cursor) else {
            throw APIProblem.invalid("after", "must be a next_cursor this feed issued (a number)")
        }
        return sequence
    }

    /// `?types=a,b`: known event types, comma-separated.
    private func types(_ request: HTTPRequest) throws -> Set<EventType> {
        guard let text = request.query["types"] else { return [] }
        var types = Set<EventType>()
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let type = EventType(rawValue: String(name)) else {
                throw APIProblem.invalid("types", "\(name) is not an event type; known: \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            types.insert(type)
        }
        return types
    }
}
