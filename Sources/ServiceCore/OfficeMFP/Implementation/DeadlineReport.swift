import Foundation

/// Deadlines of implementation services (installation and network
/// configuration within 1 working day of delivery), counted as the SLA
/// report counts responses, with each breach named.
public struct DeadlineReport: Sendable, Equatable {
    /// A service's deadline on a delivered work order: all the report reads.
    public struct Deadline: Sendable, Equatable {
        public let workOrderID: String
        public let deviceSerial: String
        public let service: String
        public let dueAt: Date
        public let completedAt: Date?
    }

    public typealias Breach = Deadline

    public var deadlines = 0
    public var inTime = 0
    public var breached = 0
    public var open = 0
    public var overdue = 0
    /// Breached and overdue deadlines, in work-order order.
    public var breaches: [Breach] = []

    public init() {}

    public mutating func add(_ deadline: Deadline, now: Date) {
        deadlines += 1
        let status = ImplementationRules.status(dueAt: deadline.dueAt, completedAt: deadline.completedAt, now: now)
        switch status {
        case .in_time: inTime += 1
        case .open: open += 1
        case .breached: breached += 1
        case .overdue: overdue += 1
        }
        // Listed from the rule's own verdict, never worked out again here.
        if status == .breached || status == .overdue { breaches.append(deadline) }
    }

    /// Deadlines read per query.
    public static let pageSize = 1_000

    /// The report over the work orders delivered from `from` until `before`:
    /// their services' deadlines only (never whole work orders), read a page
    /// at a time in work-order order, one query per page.
    public static func read(_ connection: Connection, scope: String?, from: Date, before: Date, now: Date,
                            pageSize: Int = Self.pageSize) throws -> DeadlineReport {
        var report = DeadlineReport()
        var after: WorkOrderStore.DeadlineKey?
        while true {
            let page = try WorkOrderStore.deadlines(connection, scope: scope, from: from, before: before, after: after, limit: pageSize)
            for (_, deadline) in page { report.add(deadline, now: now) }
            guard page.count == pageSize, let last = page.last else { return report }
            after = last.key
        }
    }
}
