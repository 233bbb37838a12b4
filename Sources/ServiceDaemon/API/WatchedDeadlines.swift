import Foundation
import ServiceCore

/// A kind of deadline whose passing, unmet, the daemon raises by itself.
protocol WatchedDeadlines: Sendable {
    /// When the earliest deadline still to be raised passes; nil when none is pending.
    func next(_ connection: Connection) throws -> Date?
    /// Marks up to `limit` deadlines passed by `now` and publishes their events, in the caller's transaction.
    func raise(_ connection: Connection, now: Date, limit: Int) throws -> Int
}

/// Service requests still unanswered at their response deadline.
struct ResponseDeadlines: WatchedDeadlines {
    let api: API

    func next(_ connection: Connection) throws -> Date? {
        try ServiceRequestStore.nextUnraisedDeadline(connection)
    }

    func raise(_ connection: Connection, now: Date, limit: Int) throws -> Int {
        var count = 0
        for request in try ServiceRequestStore.unraisedBreaches(connection, at: now, limit: limit)
        where try ServiceRequestStore.markBreachRaised(connection, id: request.id, at: now) {
            try api.publish(connection, .serviceRequestResponseBreached, dealer: request.dealerID, id: request.id,
                            ServiceRequestRoutes(api: api).present(request))
            count += 1
        }
        return count
    }
}

/// CPS repairs still in servicing when their centre's target day is over.
struct RepairTargets: WatchedDeadlines {
    let api: API

    func next(_ connection: Connection) throws -> Date? {
        try CPSRepairs.nextTargetMiss(connection, rules: api.cps)
    }

    func raise(_ connection: Connection, now: Date, limit: Int) throws -> Int {
        let missed = try CPSRepairs.markMissedTargets(connection, now: now, rules: api.cps, limit: limit)
        for repair in missed {
            try api.publish(connection, .cpsRepairTargetMissed, dealer: repair.dealerID, id: repair.id,
                            repair.json(rules: api.cps, today: api.today))
        }
        return missed.count
    }
}
