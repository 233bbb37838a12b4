/// A calendar year, quarter or month: what an invoicing run is for, and
/// what a contract is invoiced per.
public struct CalendarPeriod: Sendable, Hashable, CustomStringConvertible {
    public let first: LocalDate
    public let last: LocalDate
    public let frequency: BillingFrequency

    /// `2026`, `2026-Q2` or `2026-04`; nil for anything else or a year outside `years`.
    public init?(_ text: String, years: ClosedRange<Int> = 2000...2100) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts[0].count == 4, let year = Int(parts[0]), years.contains(year) else { return nil }
        if parts.count == 1 {
            self.init(frequency: .yearly, year: year, index: 0)
        } else if parts[1].count == 2, parts[1].first == "Q", let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter) {
            self.init(frequency: .quarterly, year: year, index: quarter - 1)
        } else if parts[1].count == 2, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let month = Int(parts[1]), (1...12).contains(month) {
            self.init(frequency: .monthly, year: year, index: month - 1)
        } else {
            return nil
        }
    }

    /// The `index`-th period (from 0) of `year` at `frequency`.
    init(frequency: BillingFrequency, year: Int, index: Int) {
        self.frequency = frequency
        first = LocalDate(year: year, month: index * frequency.months + 1, day: 1)!
        last = first.adding(months: frequency.months).adding(days: -1)
    }

    /// The period of `frequency` that holds `date`.
    public static func of(_ frequency: BillingFrequency, containing date: LocalDate) -> CalendarPeriod {
        CalendarPeriod(frequency: frequency, year: date.year, index: (date.month - 1) / frequency.months)
    }

    public var days: Int { last.dayNumber - first.dayNumber + 1 }

    public var description: String {
        switch frequency {
        case .yearly: return String(first.year)
        case .quarterly: return "\(first.year)-Q\((first.month - 1) / 3 + 1)"
        case .monthly: return "\(first.year)-\(first.month < 10 ? "0" : "")\(first.month)"
        }
    }

    /// The periods of `frequency` that overlap this one, in order.
    public func periods(_ frequency: BillingFrequency) -> [CalendarPeriod] {
        var out: [CalendarPeriod] = []
        var period = CalendarPeriod.of(frequency, containing: first)
        while period.first <= last {
            out.append(period)
            period = CalendarPeriod.of(frequency, containing: period.last.adding(days: 1))
        }
        return out
    }
}
