import Foundation

/// Deadlines of implementation services (installation and network
/// configuration within 1 working day of delivery), counted as the SLA
/// report counts responses, with each breach named.
public struct DeadlineReport: Sendable, Equatable {
    public struct Breach: Sendable, Equatable {
        public let workOrderID: String
        public let deviceSerial: String
        public let service: String
        public let dueAt: Date
        public let completedAt: Date?
    }

    public var deadlines = 0
    public var inTime = 0
    public var breached = 0
    public var open = 0
    public var overdue = 0
    /// Breached and overdue deadlines, in work-order order.
    public var breaches: [Breach] = []

    public init(_ orders: [WorkOrder], now: Date) {
        for order in orders {
            for state in order.services {
                guard let due = state.dueAt else { continue }
                deadlines += 1
                let status = ImplementationRules.status(dueAt: due, completedAt: state.completedAt, now: now)
                switch status {
                case .in_time: inTime += 1
                case .open: open += 1
                case .breached: breached += 1
                case .overdue: overdue += 1
                }
                // Listed from the rule's own verdict, never worked out again here.
                if status == .breached || status == .overdue {
                    breaches.append(Breach(workOrderID: order.id, deviceSerial: order.deviceSerial, service: state.service, dueAt: due,
                                           completedAt: state.completedAt))
                }
            }
        }
    }
}
