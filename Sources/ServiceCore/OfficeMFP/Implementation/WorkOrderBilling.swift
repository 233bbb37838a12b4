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

    private func timeLines(year: Int, order: WorkOrder) -> [BillingLine] {
        let rate = catalogue.hourlyRateMinor
        return order.services.compactMap { state -> BillingLine? in
            guard let rule = catalogue.service(id: state.service)?.time else { return nil }
            let entries = order.timeEntries.filter { $0.service == state.service && calendar.localDate(of: $0.performedAt).year <= year }
            guard !entries.isEmpty else { return nil }
            let through = ImplementationRules.charge(entries, rule: rule)
            let before = ImplementationRules.charge(entries.filter { calendar.localDate(of: $0.performedAt).year < year }, rule: rule)
            let minutes = through.billableMinutes - before.billableMinutes
            let amount = ImplementationRules.amount(minutes: through.billableMinutes, pricePerHourMinor: rate)
                - ImplementationRules.amount(minutes: before.billableMinutes, pricePerHourMinor: rate)
            return line(.implementation_time, order, channel: "\(order.id)/\(state.service)", minutes: minutes, price: rate, amount: amount,
                        explanation: [
                            ("work_order_id", .string(order.id)), ("service", .string(state.service)),
                            ("recorded_minutes", .int(through.recordedMinutes)), ("included_minutes", .int(rule.includedMinutes)),
                            ("included_minutes_used", .int(through.includedMinutes)), ("max_people", rule.maxPeople.map(JSONValue.int) ?? .null),
                            ("minutes_over_group_size", .int(through.overGroupMinutes)), ("billed_in_minutes", .int(rule.billedInMinutes)),
                            ("billable_minutes_to_date", .int(through.billableMinutes)),
                            ("billable_minutes_earlier_years", .int(before.billableMinutes)), ("hourly_rate_minor", .int(rate)),
                        ])
        }
    }

    private func extraLines(year: Int, order: WorkOrder) -> [BillingLine] {
        order.extras.compactMap { extra -> BillingLine? in
            guard calendar.localDate(of: extra.performedAt).year == year, let addOn = catalogue.addOn(id: extra.addOn) else { return nil }
            let amount = ImplementationRules.amount(minutes: extra.minutes, pricePerHourMinor: addOn.pricePerHourMinor)
            return line(.implementation_extra, order, channel: extra.id, minutes: extra.minutes, price: addOn.pricePerHourMinor, amount: amount,
                        explanation: [
                            ("work_order_id", .string(order.id)), ("add_on", .string(addOn.id)), ("name", .string(addOn.name)),
                            ("minutes", .int(extra.minutes)), ("price_per_hour_minor", .int(addOn.pricePerHourMinor)),
                            ("performed_at", .string(RFC3339.format(extra.performedAt))), ("note", extra.note.map(JSONValue.string) ?? .null),
                            ("reason", .string("billed separately: not part of any implementation package")),
                        ])
        }
    }

    private func line(_ kind: BillingLine.Kind, _ order: WorkOrder, channel: String, minutes: Int, price: Int, amount: Int,
                      explanation: [(String, JSONValue)]) -> BillingLine {
        BillingLine(kind: kind, deviceSerial: order.deviceSerial, customerID: order.customerID, dealerID: order.dealerID, channel: channel,
                    quantity: minutes, unitPriceMinor: price, amountMinor: amount, currency: catalogue.currency,
                    explanation: .object(explanation))
    }
}
