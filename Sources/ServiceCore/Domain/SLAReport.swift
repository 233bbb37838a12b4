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

            mutating func add(answered: Bool, inTime: Bool, minutes: Int?, overdue: Bool) {
                requests += 1
                if answered {
                    self.answered += 1
                    if inTime { answeredInTime += 1 }
                    if let minutes { minutesToFirstResponse.append(minutes) }
                }
                if overdue { openAndOverdue += 1 }
            }
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
            // In place: a copy taken out of the dictionary and put back would copy
            // the minutes array on every append (quadratic: 5 s for 60 000 requests).
            let minutes = request.firstResponseAt == nil ? nil : request.responseMinutes(calendar)
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
