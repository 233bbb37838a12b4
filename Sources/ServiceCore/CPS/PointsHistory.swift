/// A member's points as of a date, and the history that explains every
/// change: derived from the registrations and the catalogue's dates, never
/// stored, so supersession and end of service appear on the day they take
/// effect without a batch job, and any past total can be reproduced.
public struct PointsLedger: Sendable {
    public struct Entry: Sendable, Equatable {
        public enum Reason: String, Sendable, CaseIterable {
            case registered, completed, superseded
            case serviceEnded = "service_ended"
            case removed
            case migratedIn = "migrated_in"
            case migratedOut = "migrated_out"
        }

        public let date: LocalDate
        public let registrationID: String
        public let productID: String
        public let reason: Reason
        public let change: Int
        public let totalBefore: Int
        public let totalAfter: Int
    }

    public let rules: CPSRules

    public init(rules: CPSRules) { self.rules = rules }

    /// The total of the registrations that count on `date`.
    public func total(_ registrations: [Registration], on date: LocalDate) -> Int {
        total(registrations.lazy.map(\.pointsSpan), on: date)
    }

    /// The total of the spans that count on `date`.
    public func total(_ spans: some Sequence<PointsSpan>, on date: LocalDate) -> Int {
        spans.reduce(0) { sum, span in
            guard span.counts(on: date), let points = rules.points(ofProduct: span.productID, on: date) else { return sum }
            return sum + points
        }
    }

    /// Every change up to and including `date`, oldest first, with running totals.
    public func history(_ registrations: [Registration], through date: LocalDate) -> [Entry] {
        var changes: [(date: LocalDate, order: Int, registration: Registration, reason: Entry.Reason)] = []
        for (order, registration) in registrations.enumerated() {
            guard let product = rules.product(id: registration.productID), let start = registration.completedOn else { continue }
            let startReason: Entry.Reason = !registration.completeWhenAdded ? .completed
                : (registration.startReason == .migratedIn ? .migratedIn : .registered)
            changes.append((start, order, registration, startReason))
            let end = registration.endedOn
            for (day, reason) in [(product.supersededOn, Entry.Reason.superseded), (product.serviceEndsOn, .serviceEnded)] {
                if let day, day > start, end.map({ day < $0 }) ?? true { changes.append((day, order, registration, reason)) }
            }
            if let end, let endReason = registration.endReason {
                changes.append((end, order, registration, endReason == .removed ? .removed : .migratedOut))
            }
        }
        // Within a day: products start counting, then dated drops, then products leave.
        func rank(_ reason: Entry.Reason) -> Int {
            switch reason {
            case .registered, .completed, .migratedIn: return 0
            case .superseded, .serviceEnded: return 1
            case .removed, .migratedOut: return 2
            }
        }
        changes.sort { ($0.date, rank($0.reason), $0.order) < ($1.date, rank($1.reason), $1.order) }
        var entries: [Entry] = []
        var total = 0
        for change in changes where change.date <= date {
            let product = rules.product(id: change.registration.productID)!
            let amount = delta(product, change.reason, on: change.date, countingFrom: change.registration.completedOn!)
            entries.append(Entry(date: change.date, registrationID: change.registration.id, productID: product.id,
                                 reason: change.reason, change: amount, totalBefore: total, totalAfter: total + amount))
            total += amount
        }
        return entries
    }

    /// What one dated event does to the total: a product starts counting at
    /// its points that day, stops counting at its points of its last counted
    /// day (its first, if it ends the day it started: it then never counted).
    private func delta(_ product: CPSProduct, _ reason: Entry.Reason, on date: LocalDate, countingFrom start: LocalDate) -> Int {
        let points = rules.points
        switch reason {
        case .registered, .completed, .migratedIn:
            return points.points(of: product, on: date)
        case .removed, .migratedOut:
            return -points.points(of: product, on: max(start, date.adding(days: -1)))
        case .superseded, .serviceEnded:
            return points.points(of: product, on: date) - points.points(of: product, on: date.adding(days: -1))
        }
    }
}
