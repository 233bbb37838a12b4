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
    /// network is counted as it is read, never held in memory.
    public struct Tally: Sendable {
        let calendar: SupportCalendar
        let now: Date
        private var tiers: [TierID: TierTally] = [:]
        /// Requests without a contract: no deadline, not in any tier's figures.
        public private(set) var uncovered = 0

        struct TierTally: Sendable {
            var requests = 0, answered = 0, answeredInTime = 0, openAndOverdue = 0
            var minutesToFirstResponse: [Int] = []
        }

        public init(calendar: SupportCalendar, now: Date) {
            self.calendar = calendar
            self.now = now
        }

        public mutating func add(_ request: ServiceRequest) {
            guard let tier = request.tier, request.isCovered else {
                uncovered += request.isCovered ? 0 : 1
                return
            }
            var figures = tiers[tier] ?? TierTally()
            figures.requests += 1
            if request.firstResponseAt != nil {
                figures.answered += 1
                if request.responseBreached == false { figures.answeredInTime += 1 }
                if let minutes = request.responseMinutes(calendar) { figures.minutesToFirstResponse.append(minutes) }
            }
            if request.isOverdue(at: now) { figures.openAndOverdue += 1 }
            tiers[tier] = figures
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
                    medianMinutesToFirstResponse: median(figures.minutesToFirstResponse)
                )
            }
        }
    }

    public static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }
}
