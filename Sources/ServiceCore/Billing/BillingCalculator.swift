import Foundation
import ServiceJSON

/// The annual overconsumption rules as a pure function: inputs in, lines out.
/// Integer arithmetic throughout; fractions are kept exact and rounded once.
public struct BillingCalculator: Sendable {
    public let catalogue: Catalogue
    public let calendar: SupportCalendar
    private let dayStarts: DayStartCache

    public init(catalogue: Catalogue, calendar: SupportCalendar) {
        self.catalogue = catalogue
        self.calendar = calendar
        dayStarts = DayStartCache(calendar: calendar)
    }

    /// Days of the year covered at one tier by one contract.
    public struct Segment: Sendable, Equatable {
        public let contractID: String
        public let from: LocalDate
        public let through: LocalDate
        public let tier: TierID

        public var days: Int { through.dayNumber - from.dayNumber + 1 }
    }

    public struct Delivery: Sendable, Equatable {
        public let item: ConsumableOrder.Item
        public let on: LocalDate
        public let quantity: Int

        public init(item: ConsumableOrder.Item, on: LocalDate, quantity: Int) {
            self.item = item
            self.on = on
            self.quantity = quantity
        }
    }

    public struct DeviceInput: Sendable {
        public let serial: String
        public let customerID: String
        public let dealerID: String
        public let family: ModelFamily
        /// Every contract covering the device on some day of the year.
        public let contracts: [Contract]
        public let readings: [MeterReading]
        public let deliveries: [Delivery]

        public init(serial: String, customerID: String, dealerID: String, family: ModelFamily, contracts: [Contract],
                    readings: [MeterReading], deliveries: [Delivery]) {
            self.serial = serial
            self.customerID = customerID
            self.dealerID = dealerID
            self.family = family
            self.contracts = contracts
            self.readings = readings
            self.deliveries = deliveries
        }
    }

    // MARK: Segments and allowance

    /// The covered days of `year`, split where the tier changes or a contract ends.
    public static func segments(year: Int, contracts: [Contract]) -> [Segment] {
        let first = LocalDate(year: year, month: 1, day: 1)!
        let last = LocalDate(year: year, month: 12, day: 31)!
        var out: [Segment] = []
        for contract in contracts.sorted(by: { $0.startsOn < $1.startsOn }) {
            let start = max(contract.startsOn, first)
            let end = min(contract.lastDay, last)
            guard start <= end else { continue }
            let changes = contract.tierHistory.filter { $0.effectiveOn > start && $0.effectiveOn <= end }.map(\.effectiveOn)
            var from = start
            for boundary in changes + [end.adding(days: 1)] {
                if let tier = contract.tier(on: from), from < boundary {
                    out.append(Segment(contractID: contract.id, from: from, through: boundary.adding(days: -1), tier: tier))
                }
                from = boundary
            }
        }
        return out
    }

    /// Σ over months of cap x covered days / days in the month, as an exact
    /// fraction over 377 580 (the least common multiple of 28, 29, 30, 31).
    static let monthDenominator = 377_580

    public static func allowanceNumerator(cap: Int, segments: [Segment]) -> Int {
        var numerator = 0
        for segment in segments {
            var day = segment.from
            while day <= segment.through {
                let monthEnd = LocalDate(year: day.year, month: day.month, day: LocalDate.daysIn(month: day.month, year: day.year))!
                let until = min(monthEnd, segment.through)
                let days = until.dayNumber - day.dayNumber + 1
                numerator += cap * days * (monthDenominator / LocalDate.daysIn(month: day.month, year: day.year))
                day = until.adding(days: 1)
            }
        }
        return numerator
    }

    /// Rounded to the nearest page, halves up, once.
    public static func allowance(cap: Int, segments: [Segment]) -> Int {
        (allowanceNumerator(cap: cap, segments: segments) * 2 + monthDenominator) / (2 * monthDenominator)
    }

    // MARK: Lines

    /// `explainZeroLines: false` skips building explanations for lines of
    /// zero: a first run discards them, and a year has many.
    public func lines(year: Int, device: DeviceInput, explainZeroLines: Bool = true) -> [BillingLine] {
        let all = Self.segments(year: year, contracts: device.contracts)
        guard !all.isEmpty else { return [] }
        let capped = all.filter { catalogue.tiers[$0.tier]?.colourCapped == true }
        let tonerCapped = capped.filter { catalogue.tiers[$0.tier]?.tonerCapped == true }
        var lines: [BillingLine] = []
        let currency = catalogue.currency
        let family = device.family

        func line(_ kind: BillingLine.Kind, channel: String? = nil, quantity: Int, price: Int, _ explanation: @autoclosure () -> [(String, JSONValue)]) {
            let explained: JSONValue = quantity != 0 || explainZeroLines ? .object(explanation()) : .object([])
            lines.append(BillingLine(kind: kind, deviceSerial: device.serial, customerID: device.customerID, dealerID: device.dealerID,
                                     channel: channel, quantity: quantity, unitPriceMinor: price, amountMinor: quantity * price,
                                     currency: currency, explanation: explained))
        }

        if !capped.isEmpty {
            let usage = usage(over: capped, device.readings)
            let used = usage.counters.colourA4Equivalents
            let allowance = Self.allowance(cap: family.colourCapPerMonth, segments: capped)
            let over = max(0, used - allowance)
            line(.colour_overage, quantity: over, price: family.colourClickPriceMinor, [
                ("family", .string(family.id)), ("colour_cap_per_month", .int(family.colourCapPerMonth)),
                ("allowance_pages", .int(allowance)), ("used_a4_equivalents", .int(used)),
                ("used", counters(usage.counters)), ("segments", segmentsJSON(capped)),
                ("readings_used", .int(readingCount(capped, device.readings))), ("estimated", .bool(usage.estimated)),
            ])
        }

        let banners = usage(over: all, device.readings)
        let agreed = device.contracts.first { $0.bannerAgreed && $0.bannerClickPriceMinor != nil }
        let bannerPrice = agreed?.bannerClickPriceMinor ?? family.bannerClickPriceMinor
        line(.banner_clicks, quantity: banners.counters.bannerClicks, price: bannerPrice, [
            ("banner_bw", .int(banners.counters.bannerBW)), ("banner_colour", .int(banners.counters.bannerColour)),
            ("banner_agreed", .bool(agreed != nil)),
            ("price_source", .string(agreed != nil ? "contract" : "family list price")),
            ("segments", segmentsJSON(all)), ("estimated", .bool(banners.estimated)),
        ])

        if !tonerCapped.isEmpty {
            let usage = usage(over: tonerCapped, device.readings)
            for channel in TonerChannel.allCases {
                guard let cartridge = family.cartridges[channel], let item = ConsumableOrder.Item(rawValue: channel.rawValue) else { continue }
                let pages = channel == .black ? usage.counters.a4Equivalents : usage.counters.colourA4Equivalents
                let delivered = device.deliveries.filter { delivery in
                    delivery.item == item && tonerCapped.contains { $0.from <= delivery.on && delivery.on <= $0.through }
                }.reduce(0) { $0 + $1.quantity }
                // floor(max(0, delivered - pages / yield)), exactly.
                let excess = delivered * cartridge.yieldPages - pages
                let billed = excess > 0 ? excess / cartridge.yieldPages : 0
                line(.toner_excess, channel: channel.rawValue, quantity: billed, price: cartridge.priceMinor, [
                    ("pages_a4_equivalents", .int(pages)), ("yield_pages", .int(cartridge.yieldPages)),
                    ("included_cartridges", .string(Self.fraction(pages, cartridge.yieldPages))),
                    ("delivered_cartridges", .int(delivered)), ("segments", segmentsJSON(tonerCapped)),
                    ("estimated", .bool(usage.estimated)),
                ])
            }
        }
        return lines
    }

    /// Out-of-scope and uncovered work resolved in the year, one line per request.
    public func serviceLines(_ requests: [ServiceRequest]) -> [BillingLine] {
        requests.compactMap { request in
            guard request.isBillable, let minutes = request.billableMinutes else { return nil }
            // minutes x rate / 60, rounded half up.
            let amount = (minutes * catalogue.hourlyRateMinor * 2 + 60) / 120
            return BillingLine(
                kind: .service_hours, deviceSerial: request.deviceSerial, customerID: request.customerID, dealerID: request.dealerID,
                channel: request.id, quantity: minutes, unitPriceMinor: catalogue.hourlyRateMinor, amountMinor: amount,
                currency: catalogue.currency,
                explanation: .object([
                    ("service_request_id", .string(request.id)), ("billable_minutes", .int(minutes)),
                    ("hourly_rate_minor", .int(catalogue.hourlyRateMinor)),
                    ("reason", .string(request.isCovered ? "outside_responsibility" : "uncovered")),
                    ("resolved_at", request.resolvedAt.map { .string(RFC3339.format($0)) } ?? .null),
                ])
            )
        }
    }

    // MARK: Helpers

    private func bounds(_ segment: Segment) -> (Int64, Int64) {
        (dayStarts.millis(segment.from), dayStarts.millis(segment.through.adding(days: 1)))
    }

    private func usage(over segments: [Segment], _ readings: [MeterReading]) -> Usage {
        var total = MeterCounters.zero
        var estimated = false
        for segment in segments {
            let (from, to) = bounds(segment)
            let usage = Usage.over(from: from, to: to, readings: readings)
            total = total + usage.counters
            estimated = estimated || usage.estimated
        }
        return Usage(counters: total, estimated: estimated)
    }

    private func readingCount(_ segments: [Segment], _ readings: [MeterReading]) -> Int {
        readings.filter { reading in segments.contains { let (a, b) = bounds($0); return a <= reading.readAt && reading.readAt <= b } }.count
    }

    private func counters(_ counters: MeterCounters) -> JSONValue {
        .object(zip(MeterCounters.names, counters.values).map { ($0, .int($1)) })
    }

    private func segmentsJSON(_ segments: [Segment]) -> JSONValue {
        .array(segments.map { segment in
            .object([("contract_id", .string(segment.contractID)), ("from", .string(segment.from.description)),
                     ("through", .string(segment.through.description)), ("tier", .string(segment.tier.rawValue)),
                     ("days", .int(segment.days))])
        })
    }

    static func fraction(_ numerator: Int, _ denominator: Int) -> String {
        let whole = Double(numerator) / Double(denominator)
        return String(format: "%.4f", whole)
    }
}
