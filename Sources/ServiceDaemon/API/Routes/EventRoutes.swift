import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// The event feed: the outbox in order, for portals that pull rather than
/// take webhooks. A dealer key sees its own dealer's events only. With
/// `wait`, an empty answer is held until an event arrives or the wait ends
/// (a long poll), parked in `FeedWaiters` without a worker thread.
struct EventRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.get("/events?after&types&limit&wait") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let limit = try request.limit()
            let wait = try waitSeconds(request)
            let filter = EventStore.Filter(after: try request.numberedCursor("after") ?? 0, dealerID: principal.dealerScope, types: try types(request))
            let rows = try api.read { try EventStore.list($0, filter, limit: limit + 1) }
            let now = page(rows, filter, limit: limit)
            guard rows.isEmpty, wait > 0 else { return now }
            // Nothing yet: the request waits among the feed's waiters, not on this worker.
            let deadline = Date().addingTimeInterval(TimeInterval(wait))
            return HTTPResponse(body: .deferred { complete in
                api.feedWaiters.park(after: filter.after, until: deadline, unheld: now, answer: { final in
                    do {
                        let rows = try api.read { try EventStore.list($0, filter, limit: limit + 1) }
                        return rows.isEmpty && !final ? nil : page(rows, filter, limit: limit)
                    } catch {
                        return Problem(.internalServerError, detail: "the event feed could not be read").response
                    }
                }, complete: complete)
            })
        }
    }

    private func page(_ rows: [DomainEvent], _ filter: EventStore.Filter, limit: Int) -> HTTPResponse {
        let events = rows.prefix(limit)
        // Always a cursor to resume from, even when the page is empty.
        let next = events.last.map(\.sequence) ?? filter.after
        return APIResponse.json(.ok, .object([
            ("items", .array(events.map(\.json))), ("next_cursor", .string(Cursor.encode(String(next)))),
            ("has_more", .bool(rows.count > limit)),
        ]))
    }

    /// `?wait=`: seconds to hold the request while there is nothing new, 0-30 (default 0: answer at once).
    private func waitSeconds(_ request: HTTPRequest) throws -> Int {
        guard let text = request.query["wait"] else { return 0 }
        guard text.utf8.count <= 2, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let seconds = Int(text), (0...30).contains(seconds) else {
            throw APIProblem.invalid("wait", "must be a number of seconds from 0 to 30")
        }
        return seconds
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
