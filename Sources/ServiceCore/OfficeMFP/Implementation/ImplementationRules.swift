import Foundation

/// The rules of the implementation services (seed: "Implementeringstjenester"),
/// as pure functions over the catalogue and a work order.
public enum ImplementationRules {
    /// What a work order carries: the services the package includes less
    /// those the contract downgraded ("kan nedgraderes": not performed, never
    /// billed), and the options the contract bought, in catalogue order.
    public static func services(package: ImplementationPackage, downgrades: [String], options: [String], catalogue: [Service]) -> [String] {
        let chosen = Set(package.services(downgrades: downgrades.filter(package.downgradable.contains),
                                          options: options.filter(package.optional.contains)))
        return catalogue.map(\.id).filter(chosen.contains)
    }

    /// When a service with `workingDays` after delivery must be finished:
    /// closing time of the `workingDays`-th business day after the day the
    /// clock starts (the delivery, or the next opening when delivered outside
    /// support hours), as for a next-business-day response. Seed: "Ferdigstillelse
    /// av maskinene gjøres innen 1 arbeidsdag etter leveranse av maskinen."
    public static func due(deliveredAt: Date, workingDays: Int, calendar: SupportCalendar) -> Date {
        var date = calendar.localDate(of: calendar.nextOpening(atOrAfter: deliveredAt))
        for _ in 0..<workingDays {
            repeat { date = date.adding(days: 1) } while !calendar.isBusinessDay(date)
        }
        return calendar.window(on: date)!.close
    }

    /// A deadline's standing, as the SLA report counts responses.
    public enum DeadlineStatus: String, Sendable, CaseIterable {
        /// Not done, not yet due.
        case open
        /// Not done and past due: a breach already.
        case overdue
        case in_time
        /// Done after it was due.
        case breached
    }

    public static func status(dueAt: Date, completedAt: Date?, now: Date) -> DeadlineStatus {
        if let completedAt { return completedAt <= dueAt ? .in_time : .breached }
        return now > dueAt ? .overdue : .open
    }

    /// Time on a timed service: what was recorded, what the package covers,
    /// and what is billed.
    public struct TimeCharge: Sendable, Equatable {
        /// Every minute recorded.
        public let recordedMinutes: Int
        /// Minutes of sessions too large for the inclusion (more than `max_people`); billed in full.
        public let overGroupMinutes: Int
        /// Minutes the package covered.
        public let includedMinutes: Int
        /// Minutes billed: those beyond the inclusion, rounded up to the billing unit.
        public let billableMinutes: Int

        public init(recordedMinutes: Int, overGroupMinutes: Int, includedMinutes: Int, billableMinutes: Int) {
            self.recordedMinutes = recordedMinutes
            self.overGroupMinutes = overGroupMinutes
            self.includedMinutes = includedMinutes
            self.billableMinutes = billableMinutes
        }
    }

    /// The inclusion covers the first `includedMinutes` of sessions within
    /// the group size; sessions of more people, and every minute beyond, are
    /// billed, rounded up to a multiple of `billedInMinutes` ("sold in units
    /// of 1 working hour": 61 minutes beyond is two hours).
    public static func charge(_ entries: [WorkOrder.TimeEntry], rule: TimedService) -> TimeCharge {
        var tally = TimeTally(rule: rule)
        for entry in entries { tally.add(entry) }
        return tally.charge
    }

    /// The running totals of a service's entries: the charge of every prefix
    /// of its entries, taken one by one, in one pass.
    public struct TimeTally: Sendable {
        public let rule: TimedService
        private var withinGroup = 0
        private var overGroup = 0

        public init(rule: TimedService) {
            self.rule = rule
        }

        public mutating func add(_ entry: WorkOrder.TimeEntry) {
            if let limit = rule.maxPeople, let people = entry.people, people > limit {
                overGroup += entry.minutes
            } else {
                withinGroup += entry.minutes
            }
        }

        /// The charge of the entries added so far.
        public var charge: TimeCharge {
            let included = min(withinGroup, rule.includedMinutes)
            let beyond = withinGroup - included + overGroup
            let unit = rule.billedInMinutes
            return TimeCharge(recordedMinutes: withinGroup + overGroup, overGroupMinutes: overGroup, includedMinutes: included,
                              billableMinutes: (beyond + unit - 1) / unit * unit)
        }
    }

    /// Minutes at an hourly price, rounded half up to the minor unit.
    public static func amount(minutes: Int, pricePerHourMinor: Int) -> Int {
        (minutes * pricePerHourMinor * 2 + 60) / 120
    }
}
