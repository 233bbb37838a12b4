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
        TierID.allCases.map { tier in
            let covered = requests.filter { $0.tier == tier && $0.isCovered }
            let answered = covered.filter { $0.firstResponseAt != nil }
            let inTime = answered.filter { $0.responseBreached == false }.count
            let overdue = covered.filter { $0.isOverdue(at: now) }.count
            return SLAReportRow(
                tier: tier,
                requests: covered.count,
                answeredInTime: inTime,
                breached: answered.count - inTime + overdue,
                openAndOverdue: overdue,
                medianMinutesToFirstResponse: median(answered.compactMap { $0.responseMinutes(calendar) })
            )
        }
    }

    public static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }
}
