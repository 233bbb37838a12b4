import Foundation
import ServiceJSON

/// The annual overconsumption rules as a pure function: inputs in, lines out.
/// Integer arithmetic throughout; fractions are kept exact and rounded once.
public struct BillingCalculator: Sendable {
    public let catalogue: Catalogue
    public let calendar: SupportCalendar
    private let dayStarts: DayStartCache
    private let caps: TierCaps

    public init(catalogue: Catalogue, calendar: SupportCalendar) {
        self.catalogue = catalogue
        self.calendar = calendar
        dayStarts = DayStartCache(calendar: calendar)
        caps = TierCaps(catalogue.tiers)
    }

    /// Which tiers are capped, without a dictionary look-up per segment.
    private struct TierCaps: Sendable {
        private let colour: (standard: Bool, plus: Bool, premium: Bool)
        private let toner: (standard: Bool, plus: Bool, premium: Bool)

        init(_ tiers: [TierID: Tier]) {
            func flag(_ id: TierID, _ rule: (Tier) -> Bool) -> Bool { tiers[id].map(rule) ?? false }
            colour = (flag(.standard, \.colourCapped), flag(.plus, \.colourCapped), flag(.premium, \.colourCapped))
            toner = (flag(.standard, \.tonerCapped), flag(.plus, \.tonerCapped), flag(.premium, \.tonerCapped))
        }

        func colourCapped(_ tier: TierID) -> Bool { Self.pick(colour, tier) }
        func tonerCapped(_ tier: TierID) -> Bool { colourCapped(tier) && Self.pick(toner, tier) }

        private static func pick(_ flags: (standard: Bool, plus: Bool, premium: Bool), _ tier: TierID) -> Bool {
            switch tier {
            case .standard: return flags.standard
            case .plus: return flags.plus
            case .premium: return flags.premium
            }
        }
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
        let ordered = contracts.count < 2 ? contracts : contracts.sorted { $0.startsOn < $1.startsOn }
        for contract in ordered {
            let start = max(contract.startsOn, first)
            let end = min(contract.lastDay, last)
            guard start <= end else { continue }
            var from = start
            func close(before boundary: LocalDate) {
                if let tier = contract.tier(on: from), from < boundary {
                    out.append(Segment(contractID: contract.id, from: from, through: boundary.adding(days: -1), tier: tier))
                }
                from = boundary
            }
            for change in contract.tierHistory where change.effectiveOn > start && change.effectiveOn <= end {
                close(before: change.effectiveOn)
            }
            close(before: end.adding(days: 1))
        }
        return out
    }

    /// Σ over months of cap x covered days / days in the month, as an exact
    /// fraction over 377 580 (the least common multiple of 28, 29, 30, 31).
    static let monthDenominator = 377_580

    public static func allowanceNumerator(cap: Int, segments: [Segment]) -> Int {
        var numerator = 0
        // Month by month on day numbers: this runs for every device.
        for segment in segments {
            var day = segment.from.dayNumber
            let last = segment.through.dayNumber
            var year = segment.from.year, month = segment.from.month
            var monthStart = day - (segment.from.day - 1)
            while day <= last {
                let length = LocalDate.daysIn(month: month, year: year)
                let monthEnd = monthStart + length - 1
                let until = min(monthEnd, last)
                numerator += cap * (until - day + 1) * (monthDenominator / length)
                day = until + 1
                monthStart = monthEnd + 1
                (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
            }
        }
        return numerator
    }

    /// Rounded to the nearest page, halves up, once.
    public static func allowance(cap: Int, segments: [Segment]) -> Int {
        (allowanceNumerator(cap: cap, segments: segments) * 2 + monthDenominator) / (2 * monthDenominator)
    }

    // MARK: Lines

    /// `keep` sees each line before its explanation is built; lines it turns
    /// down are left out. A run keeps only what it will bill (a first run no
    /// lines of zero, a later one only lines that differ from what was
    /// billed), and a year has hundreds of thousands of lines it will not.
    public func lines(year: Int, device: DeviceInput, keep: (BillingLine) -> Bool = { _ in true }) -> [BillingLine] {
        let all = Self.segments(year: year, contracts: device.contracts)
        guard !all.isEmpty else { return [] }
        let dayStarts = dayStarts.year(year)
        // Usage per segment once; the lines below add up different subsets.
        let perSegment = all.map { segment in
            Usage.over(from: dayStarts[segment.from], to: dayStarts[segment.through.adding(days: 1)], readings: device.readings)
        }
        func usage(_ keep: (Segment) -> Bool) -> Usage {
            zip(all, perSegment).reduce(Usage(counters: .zero, estimated: false)) { total, pair in
                keep(pair.0) ? Usage(counters: total.counters + pair.1.counters, estimated: total.estimated || pair.1.estimated) : total
            }
        }
        // Closures that read `self` would copy the whole calculator per call.
        let caps = caps
        func colourCapped(_ segment: Segment) -> Bool { caps.colourCapped(segment.tier) }
        func tonerCapped(_ segment: Segment) -> Bool { caps.tonerCapped(segment.tier) }
        let capped = all.filter(colourCapped)
        var lines: [BillingLine] = []
        lines.reserveCapacity(6)  // colour, banners, four toner channels
        let currency = catalogue.currency
        let family = device.family

        func line(_ kind: BillingLine.Kind, channel: String? = nil, quantity: Int, price: Int, _ explanation: @autoclosure () -> [(String, JSONValue)]) {
            let line = BillingLine(kind: kind, deviceSerial: device.serial, customerID: device.customerID, dealerID: device.dealerID,
                                   channel: channel, quantity: quantity, unitPriceMinor: price, amountMinor: quantity * price,
                                   currency: currency, explanation: .null)
            if keep(line) { lines.append(line.explained(.object(explanation()))) }
        }

        if !capped.isEmpty {
            let usage = usage(colourCapped)
            let used = usage.counters.colourA4Equivalents
            let allowance = Self.allowance(cap: family.colourCapPerMonth, segments: capped)
            let over = max(0, used - allowance)
            line(.colour_overage, quantity: over, price: family.colourClickPriceMinor, [
                ("family", .string(family.id)), ("colour_cap_per_month", .int(family.colourCapPerMonth)),
                ("allowance_pages", .int(allowance)), ("used_a4_equivalents", .int(used)),
                ("used", usage.counters.json), ("segments", segmentsJSON(capped)),
                ("readings_used", .int(readingCount(capped, device.readings, dayStarts))), ("estimated", .bool(usage.estimated)),
            ])
        }

        let banners = usage { _ in true }
        let agreed = device.contracts.first { $0.bannerAgreed && $0.bannerClickPriceMinor != nil }
        let bannerPrice = agreed?.bannerClickPriceMinor ?? family.bannerClickPriceMinor
        line(.banner_clicks, quantity: banners.counters.bannerClicks, price: bannerPrice, [
            ("banner_bw", .int(banners.counters.bannerBW)), ("banner_colour", .int(banners.counters.bannerColour)),
            ("banner_agreed", .bool(agreed != nil)),
            // "Must be agreed separately": still billed at list price, but flagged so the dealer sees it.
            ("banner_not_agreed", .bool(!device.contracts.contains { $0.bannerAgreed })),
            ("price_source", .string(agreed != nil ? "contract" : "family list price")),
            ("segments", segmentsJSON(all)), ("estimated", .bool(banners.estimated)),
        ])

        let tonerSegments = capped.filter(tonerCapped)
        if !tonerSegments.isEmpty {
            let usage = usage(tonerCapped)
            for channel in TonerChannel.allCases {
                guard let cartridge = family.cartridges[channel] else { continue }
                let item = channel.consumable
                let pages = channel == .black ? usage.counters.a4Equivalents : usage.counters.colourA4Equivalents
                let delivered = device.deliveries.filter { delivery in
                    delivery.item == item && tonerSegments.contains { $0.from <= delivery.on && delivery.on <= $0.through }
                }.reduce(0) { $0 + $1.quantity }
                // floor(max(0, delivered - pages / yield)), exactly.
                let excess = delivered * cartridge.yieldPages - pages
                let billed = excess > 0 ? excess / cartridge.yieldPages : 0
                line(.toner_excess, channel: channel.rawValue, quantity: billed, price: cartridge.priceMinor, [
                    ("pages_a4_equivalents", .int(pages)), ("yield_pages", .int(cartridge.yieldPages)),
                    ("included_cartridges", .string(Self.fraction(pages, cartridge.yieldPages))),
                    ("delivered_cartridges", .int(delivered)), ("segments", segmentsJSON(tonerSegments)),
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

    private func readingCount(_ segments: [Segment], _ readings: [MeterReading], _ dayStarts: YearDayStarts) -> Int {
        var count = 0
        for index in readings.indices {
            let at = readings[index].readAt
            if segments.contains(where: { dayStarts[$0.from] <= at && at <= dayStarts[$0.through.adding(days: 1)] }) { count += 1 }
        }
        return count
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
