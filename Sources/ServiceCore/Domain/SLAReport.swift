import Foundation

/// Response-time performance per tier over a set of requests: a pure
/// summary, so the figures can be checked by hand.
public struct SLAReportRow: Sendable, Equatable {
    public let tier: TierID
    public let requests: Int
    public let answeredInTime: Int
    /// Answered late, or unanswered and already past the deadline.
    public let breached: Int
    /// Of the breached: still unanswered.
    public let openAndOverdue: Int
    /// Median support minutes from clock start to first response, over the answered.
    public let medianMinutesToFirstResponse: Double?
}

public enum SLAReport {
    public static func rows(_ requests: [ServiceRequest], calendar: SupportCalendar, now: Date) -> [SLAReportRow] {
        var tally = Tally(calendar: calendar, now: now)
        requests.forEach { tally.add($0) }
        return tally.rows
    }

    /// The report's figures, one request at a time: a year of a national
    /// network is counted as it is read, never held in memory. Its memory is
    /// bounded by the days and distinct response times met, not the requests.
    public struct Tally: Sendable {
        /// Each local day's window worked out once (`SupportDays`), not per request.
        public private(set) var days: SupportDays
        let now: Date
        private var tiers: [TierID: TierTally] = [:]
        /// Requests without a contract: no deadline, not in any tier's figures.
        public private(set) var uncovered = 0

        struct TierTally: Sendable {
            var requests = 0, answered = 0, answeredInTime = 0, openAndOverdue = 0
            /// How many answers took each number of minutes: the median from
            /// counts, so a year of 200 000 requests holds a few thousand numbers.
            var minutesToFirstResponse = MinuteCounts()

            mutating func add(answered: Bool, inTime: Bool, minutes: Int?, overdue: Bool) {
                requests += 1
                if answered {
                    self.answered += 1
                    if inTime { answeredInTime += 1 }
                    if let minutes { minutesToFirstResponse.add(minutes) }
                }
                if overdue { openAndOverdue += 1 }
            }
        }

        public init(calendar: SupportCalendar, now: Date) {
            days = SupportDays(calendar)
            self.now = now
        }

        public mutating func add(_ request: ServiceRequest) {
            guard let tier = request.tier, request.isCovered else {
                uncovered += request.isCovered ? 0 : 1
                return
            }
            // In place: a copy taken out of the dictionary and put back would copy
            // the minutes array on every append (quadratic: 5 s for 60 000 requests).
            var minutes: Int?
            if let start = request.clockStartsAt, let response = request.firstResponseAt {
                minutes = days.supportMinutes(from: start, to: response)
            }
            let overdue = request.isOverdue(at: now)
            tiers[tier, default: TierTally()].add(answered: request.firstResponseAt != nil, inTime: request.responseBreached == false,
                                                  minutes: minutes, overdue: overdue)
        }

        /// One row per tier, every tier present.
        public var rows: [SLAReportRow] {
            TierID.allCases.map { tier in
                let figures = tiers[tier] ?? TierTally()
                return SLAReportRow(
                    tier: tier,
                    requests: figures.requests,
                    answeredInTime: figures.answeredInTime,
                    breached: figures.answered - figures.answeredInTime + figures.openAndOverdue,
                    openAndOverdue: figures.openAndOverdue,
                    medianMinutesToFirstResponse: figures.minutesToFirstResponse.median
                )
            }
        }
    }

    public static func median(_ values: [Int]) -> Double? {
        var counts = MinuteCounts()
        values.forEach { counts.add($0) }
        return counts.median
    }

    /// A multiset of minute counts with its median, as `median` of the values
    /// listed one by one would give.
    struct MinuteCounts: Sendable {
        private var counts: [Int: Int] = [:]
        private var total = 0

        mutating func add(_ minutes: Int) {
            counts[minutes, default: 0] += 1
            total += 1
        }

        var median: Double? {
            guard total > 0 else { return nil }
            // The values at sorted positions (total - 1) / 2 and total / 2: one value when odd.
            let lowPosition = (total - 1) / 2, highPosition = total / 2
            var seen = 0
            var low: Int?
            for (minutes, count) in counts.sorted(by: { $0.key < $1.key }) {
                seen += count
                if low == nil, seen > lowPosition { low = minutes }
                if seen > highPosition, let low { return Double(low + minutes) / 2 }
            }
            return nil
        }
    }
}
