import Foundation

/// Repairs past their target: raised by the daemon itself when a centre's
/// target day ends with the product still in servicing, on that centre's
/// calendar and in its time zone, and once per repair.
extension CPSRepairs {
    /// When the next pending target is missed: the start of the centre's day after the target day.
    public static func nextTargetMiss(_ connection: Connection, rules: CPSRules) throws -> Date? {
        try CPSRepairStore.earliestPendingTargets(connection).compactMap { centreID, targetOn in
            try calendar(connection, centreID: centreID, rules: rules)?.start(of: targetOn.adding(days: 1))
        }.min()
    }

    /// Marks up to `limit` repairs whose target was missed by `now` and returns them as marked.
    public static func markMissedTargets(_ connection: Connection, now: Date, rules: CPSRules, limit: Int) throws -> [CPSRepair] {
        var missed: [CPSRepair] = []
        for (centreID, _) in try CPSRepairStore.earliestPendingTargets(connection) where missed.count < limit {
            guard let days = try calendar(connection, centreID: centreID, rules: rules) else { continue }
            let centreDay = days.localDay(of: now)
            for var repair in try CPSRepairStore.pendingTargets(connection, centreID: centreID, before: centreDay, limit: limit - missed.count)
            where repair.missesTarget(onCentreDay: centreDay) {
                repair.targetMissedAt = now
                missed.append(try CPSRepairStore.save(connection, repair))
            }
        }
        return missed
    }
}
