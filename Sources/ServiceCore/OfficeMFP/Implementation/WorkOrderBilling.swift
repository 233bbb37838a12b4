import Foundation
import ServiceJSON

/// What a work order bills for a calendar year: time beyond what the
/// package includes, per timed service, and every extra performed in the
/// year. Nothing included is billed.
///
/// Time is charged cumulatively: the line for a year is the charge of every
/// entry up to the end of that year less the charge up to the end of the year
/// before, so the inclusion is used once whichever year the work falls in, and
/// the years of a work order add up to its whole charge.
///
/// Prices are those of the price version in force on the (local) day the
/// work was performed, as for every other line: an entry's billable minutes
/// (what it adds to the service's billable total, entries taken in the order
/// performed) are charged at its day's hourly rate, an extra at its day's
/// add-on price.
public struct WorkOrderBilling: Sendable {
    public let catalogue: Catalogue
    public let calendar: SupportCalendar

    public init(catalogue: Catalogue, calendar: SupportCalendar) {
        self.catalogue = catalogue
        self.calendar = calendar
    }

    public func lines(year: Int, order: WorkOrder) -> [BillingLine] {
        timeLines(year: year, order: order) + extraLines(year: year, order: order)
    }

    /// Billable minutes of a service's entries by the price version of the
    /// entry that made them billable.
    private struct MinutesByVersion {
        var minutes: [Int: Int] = [:]

        func amount(_ prices: PriceList) -> Int {
            minutes.reduce(0) { $0 + ImplementationRules.amount(minutes: $1.value, pricePerHourMinor: prices.versions[$1.key].terms.hourlyRateMinor) }
        }
    }

    private func timeLines(year: Int, order: WorkOrder) -> [BillingLine] {
        let prices = catalogue.prices
        return order.services.compactMap { state -> BillingLine? in
            guard let rule = catalogue.service(id: state.service)?.time else { return nil }
            let entries = order.timeEntries
                .filter { $0.service == state.service && calendar.localDate(of: $0.performedAt).year <= year }
                .sorted { ($0.performedAt, $0.id) < ($1.performedAt, $1.id) }
            guard !entries.isEmpty else { return nil }
            var through = MinutesByVersion()
            var before = MinutesByVersion()
            // Each entry adds to the billable total what the charge to date gains by it: one pass, running totals.
            var tally = ImplementationRules.TimeTally(rule: rule)
            var billable = 0
            for entry in entries {
                tally.add(entry)
                let charged = tally.charge.billableMinutes
                let day = calendar.localDate(of: entry.performedAt)
                let version = prices.index(on: day)
                through.minutes[version, default: 0] += charged - billable
                if day.year < year { before.minutes[version, default: 0] += charged - billable }
                billable = charged
            }
            let charge = tally.charge
            let earlier = before.minutes.values.reduce(0, +)
            let amount = through.amount(prices) - before.amount(prices)
            let versions = through.minutes.keys.sorted()
            // The rate of the latest version this year's minutes were billed at, as other lines name the price at their end.
            let rate = prices.versions[versions.last { through.minutes[$0] != before.minutes[$0] } ?? versions.last!].terms.hourlyRateMinor
            let parts = versions.compactMap { index -> JSONValue? in
                let minutes = through.minutes[index, default: 0] - before.minutes[index, default: 0]
                guard minutes != 0 else { return nil }
                let rate = prices.versions[index].terms.hourlyRateMinor
                let amount = ImplementationRules.amount(minutes: through.minutes[index, default: 0], pricePerHourMinor: rate)
                    - ImplementationRules.amount(minutes: before.minutes[index, default: 0], pricePerHourMinor: rate)
                return Self.versionJSON(prices.versions[index], [("minutes", .int(minutes)), ("hourly_rate_minor", .int(rate)), ("amount_minor", .int(amount))])
            }
            return line(.implementation_time, order, channel: "\(order.id)/\(state.service)", minutes: charge.billableMinutes - earlier,
                        price: rate, amount: amount,
                        explanation: [
                            ("work_order_id", .string(order.id)), ("service", .string(state.service)),
                            ("recorded_minutes", .int(charge.recordedMinutes)), ("included_minutes", .int(rule.includedMinutes)),
                            ("included_minutes_used", .int(charge.includedMinutes)), ("max_people", rule.maxPeople.map(JSONValue.int) ?? .null),
                            ("minutes_over_group_size", .int(charge.overGroupMinutes)), ("billed_in_minutes", .int(rule.billedInMinutes)),
                            ("billable_minutes_to_date", .int(charge.billableMinutes)),
                            ("billable_minutes_earlier_years", .int(earlier)), ("hourly_rate_minor", .int(rate)),
                            ("price_versions", .array(parts)),
                        ])
        }
    }

    private func extraLines(year: Int, order: WorkOrder) -> [BillingLine] {
        order.extras.compactMap { extra -> BillingLine? in
            let day = calendar.localDate(of: extra.performedAt)
            guard day.year == year, let addOn = catalogue.addOn(id: extra.addOn) else { return nil }
            let version = catalogue.prices.version(on: day)
            let price = version.terms.addOns[addOn.id] ?? addOn.pricePerHourMinor
            let amount = ImplementationRules.amount(minutes: extra.minutes, pricePerHourMinor: price)
            return line(.implementation_extra, order, channel: extra.id, minutes: extra.minutes, price: price, amount: amount,
                        explanation: [
                            ("work_order_id", .string(order.id)), ("add_on", .string(addOn.id)), ("name", .string(addOn.name)),
                            ("minutes", .int(extra.minutes)), ("price_per_hour_minor", .int(price)),
                            ("performed_at", .string(RFC3339.format(extra.performedAt))), ("note", extra.note.map(JSONValue.string) ?? .null),
                            ("reason", .string("billed separately: not part of any implementation package")),
                            ("price_versions", .array([Self.versionJSON(version, [])])),
                        ])
        }
    }

    private static func versionJSON(_ version: PriceVersion, _ detail: [(String, JSONValue)]) -> JSONValue {
        .object([("id", .string(version.id)), ("effective_from", version.effectiveFrom.map { .string($0.description) } ?? .null)] + detail)
    }

    private func line(_ kind: BillingLine.Kind, _ order: WorkOrder, channel: String, minutes: Int, price: Int, amount: Int,
                      explanation: [(String, JSONValue)]) -> BillingLine {
        BillingLine(kind: kind, deviceSerial: order.deviceSerial, customerID: order.customerID, dealerID: order.dealerID, channel: channel,
                    quantity: minutes, unitPriceMinor: price, amountMinor: amount, currency: catalogue.currency,
                    explanation: .object(explanation))
    }
}
