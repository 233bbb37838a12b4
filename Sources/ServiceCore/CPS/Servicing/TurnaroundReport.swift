/// Per service centre and level, over repairs completed in a period: how many,
/// on target or late, the median working days from start to completion, and
/// backup loans entitled and lent.
public struct TurnaroundReportRow: Sendable, Equatable {
    public let centreID: String
    public let level: CPSLevel?
    public let completed: Int
    public let onTarget: Int
    public let late: Int
    /// The median of working days taken; the mean of the middle two for an even count.
    public let medianWorkingDays: Double
    public let loansEntitled: Int
    public let loansLent: Int

    /// `taken` gives a repair's working days from its start day to its completion day.
    public static func rows(_ repairs: [CPSRepair], rules: CPSRules, taken: (CPSRepair) -> Int) -> [TurnaroundReportRow] {
        let groups = Dictionary(grouping: repairs.filter { $0.completedOn != nil }) { "\($0.centreID)|\($0.level?.rawValue ?? "")" }
        return groups.keys.sorted().map { key in
            let group = groups[key]!
            let days = group.map(taken).sorted()
            let middle = days.count / 2
            let median = days.count % 2 == 1 ? Double(days[middle]) : Double(days[middle - 1] + days[middle]) / 2
            let onTarget = group.filter { $0.completedOn! <= $0.targetOn }.count
            let entitled = group.filter { $0.backupLoanEntitled(rules: rules, today: $0.completedOn!) }.count
            return TurnaroundReportRow(centreID: group[0].centreID, level: group[0].level, completed: group.count, onTarget: onTarget,
                                       late: group.count - onTarget, medianWorkingDays: median, loansEntitled: entitled,
                                       loansLent: group.filter { $0.loan != nil }.count)
        }
    }
}
