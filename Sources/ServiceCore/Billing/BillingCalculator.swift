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

    /// Days of the year covered at one tier by one contract, under one price version.
    public struct Segment: Sendable, Equatable {
        public let contractID: String
        public let from: LocalDate
        public let through: LocalDate
        public let tier: TierID
        /// Index into the catalogue's `prices.versions`.
        public let priceVersion: Int

        public init(contractID: String, from: LocalDate, through: LocalDate, tier: TierID, priceVersion: Int = 0) {
            self.contractID = contractID
            self.from = from
            self.through = through
            self.tier = tier
            self.priceVersion = priceVersion
        }

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

    /// The covered days of `year`, split where the tier changes, a contract
    /// ends or (with `prices`) another price version takes effect.
    public static func segments(year: Int, contracts: [Contract], prices: PriceList? = nil) -> [Segment] {
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
                    let through = boundary.adding(days: -1)
                    if let prices, prices.versions.count > 1 {
                        for piece in prices.pieces(from: from, through: through) {
                            out.append(Segment(contractID: contract.id, from: piece.from, through: piece.through, tier: tier, priceVersion: piece.version))
                        }
                    } else {
                        out.append(Segment(contractID: contract.id, from: from, through: through, tier: tier))
                    }
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
        rounded(allowanceNumerator(cap: cap, segments: segments))
    }

    /// A numerator over `monthDenominator` to the nearest page, halves up.
    static func rounded(_ numerator: Int) -> Int {
        (numerator * 2 + monthDenominator) / (2 * monthDenominator)
    }

    /// `total` shared in proportion to the positive `weights` (largest
    /// remainder; equal remainders go to the earlier share), so the shares
    /// are whole and add up to `total` exactly. Products are taken at full
    /// width: weights are page counts times 377 580.
    static func share(_ total: Int, weights: [Int]) -> [Int] {
        let positive = weights.map { max(0, $0) }
        let sum = positive.reduce(0, +)
        guard total > 0, sum > 0 else {
            // Nothing to share, or (never, since an overage means some excess) nobody to take it: the last share.
            return weights.indices.map { $0 == weights.count - 1 ? total : 0 }
        }
        var shares: [Int] = []
        var remainders: [(index: Int, remainder: Int)] = []
        for (index, weight) in positive.enumerated() {
            let (quotient, remainder) = sum.dividingFullWidth(total.multipliedFullWidth(by: weight))
            shares.append(quotient)
            remainders.append((index, remainder))
        }
        var left = total - shares.reduce(0, +)
        for entry in remainders.sorted(by: { $0.remainder > $1.remainder || ($0.remainder == $1.remainder && $0.index < $1.index) }) where left > 0 {
            shares[entry.index] += 1
            left -= 1
        }
        return shares
    }

    // MARK: Lines

    /// `keep` sees each line before its explanation is built; lines it turns
    /// down are left out. A run keeps only what it will bill (a first run no
    /// lines of zero, a later one only lines that differ from what was
    /// billed), and a year has hundreds of thousands of lines it will not.
    public func lines(year: Int, device: DeviceInput, keep: (BillingLine) -> Bool = { _ in true }) -> [BillingLine] {
        let prices = catalogue.prices
        let all = Self.segments(year: year, contracts: device.contracts, prices: prices)
        guard !all.isEmpty else { return [] }
        let dayStarts = dayStarts.year(year)
        // Usage per segment once; the lines below add up different subsets.
        let perSegment = all.map { segment in
            Usage.over(from: dayStarts[segment.from], to: dayStarts[segment.through.adding(days: 1)], readings: device.readings)
        }
        func usageOver(_ keep: (Segment) -> Bool) -> Usage {
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
        func familyPrices(_ version: Int) -> FamilyPrices { prices.versions[version].terms.families[family.id] ?? FamilyPrices(family) }

        /// One line priced per version: `parts` in date order, the line's unit
        /// price the last one's (the price in force at the end of its days).
        func line(_ kind: BillingLine.Kind, channel: String? = nil, parts: [PricedPart], _ explanation: @autoclosure () -> [(String, JSONValue)]) {
            let quantity = parts.reduce(0) { $0 + $1.quantity }
            let line = BillingLine(kind: kind, deviceSerial: device.serial, customerID: device.customerID, dealerID: device.dealerID,
                                   channel: channel, quantity: quantity, unitPriceMinor: parts.last?.unitPriceMinor ?? 0,
                                   amountMinor: parts.reduce(0) { $0 + $1.quantity * $1.unitPriceMinor },
                                   currency: currency, explanation: .null)
            if keep(line) { lines.append(line.explained(.object(explanation() + [("price_versions", .array(parts.map { $0.json(prices) }))]))) }
        }
        /// The versions `segments` use, in date order, each with its segments.
        func byVersion(_ segments: [Segment]) -> [(version: Int, segments: [Segment])] {
            var out: [(version: Int, segments: [Segment])] = []
            for segment in segments.sorted(by: { $0.from < $1.from }) {
                if let index = out.firstIndex(where: { $0.version == segment.priceVersion }) {
                    out[index].segments.append(segment)
                } else {
                    out.append((segment.priceVersion, [segment]))
                }
            }
            return out.sorted { $0.version < $1.version }
        }

        if !capped.isEmpty {
            let usage = usageOver(colourCapped)
            let used = usage.counters.colourA4Equivalents
            // The allowance and the use of each version's days. The overage
            // is the year's (the cap is an average over the year), shared
            // among the versions whose days went over their own allowance, in
            // proportion to how far; a version under its allowance offsets the others.
            let versions = byVersion(capped).map { version, segments in
                let numerator = Self.allowanceNumerator(cap: familyPrices(version).colourCapPerMonth, segments: segments)
                let used = usageOver { colourCapped($0) && $0.priceVersion == version }.counters.colourA4Equivalents
                return (version: version, segments: segments, numerator: numerator, used: used)
            }
            let allowance = Self.rounded(versions.reduce(0) { $0 + $1.numerator })
            let over = max(0, used - allowance)
            let shares = Self.share(over, weights: versions.map { $0.used * Self.monthDenominator - $0.numerator })
            let parts = zip(versions, shares).map { version, share in
                let prices = familyPrices(version.version)
                return PricedPart(version: version.version, segments: version.segments, quantity: share,
                                  unitPriceMinor: prices.colourClickPriceMinor) {
                    [("colour_cap_per_month", .int(prices.colourCapPerMonth)),
                     ("allowance_pages", .string(Self.fraction(version.numerator, Self.monthDenominator))),
                     ("used_a4_equivalents", .int(version.used))]
                }
            }
            line(.colour_overage, parts: parts, [
                ("family", .string(family.id)), ("colour_cap_per_month", .int(familyPrices(versions[versions.count - 1].version).colourCapPerMonth)),
                ("allowance_pages", .int(allowance)), ("used_a4_equivalents", .int(used)),
                ("used", usage.counters.json), ("segments", segmentsJSON(capped)),
                ("readings_used", .int(readingCount(capped, device.readings, dayStarts))), ("estimated", .bool(usage.estimated)),
            ])
        }

        let banners = usageOver { _ in true }
        let agreed = device.contracts.first { $0.bannerAgreed && $0.bannerClickPriceMinor != nil }
        let bannerParts = byVersion(all).map { version, segments in
            PricedPart(version: version, segments: segments,
                       quantity: usageOver { $0.priceVersion == version }.counters.bannerClicks,
                       unitPriceMinor: agreed?.bannerClickPriceMinor ?? familyPrices(version).bannerClickPriceMinor)
        }
        // The usage report's rule (BannerAgreement), over the days billed: only segments that printed banners are looked at.
        let bannerNotAgreed = zip(all, perSegment).contains { segment, usage in
            usage.counters.bannerClicks > 0 && BannerAgreement.notAgreed(
                readings: device.readings, contracts: device.contracts, from: segment.from, through: segment.through, dayStart: { dayStarts[$0] })
        }
        line(.banner_clicks, parts: bannerParts, [
            ("banner_bw", .int(banners.counters.bannerBW)), ("banner_colour", .int(banners.counters.bannerColour)),
            ("banner_agreed", .bool(agreed != nil)),
            // "Must be agreed separately": still billed at list price, but flagged so the dealer sees it.
            ("banner_not_agreed", .bool(bannerNotAgreed)),
            ("price_source", .string(agreed != nil ? "contract" : "family list price")),
            ("segments", segmentsJSON(all)), ("estimated", .bool(banners.estimated)),
        ])

        let tonerSegments = capped.filter(tonerCapped)
        if !tonerSegments.isEmpty {
            let usage = usageOver(tonerCapped)
            for channel in TonerChannel.allCases {
                guard let cartridge = family.cartridges[channel] else { continue }
                let item = channel.consumable
                let pages = channel == .black ? usage.counters.a4Equivalents : usage.counters.colourA4Equivalents
                let deliveries = device.deliveries.filter { delivery in
                    delivery.item == item && tonerSegments.contains { $0.from <= delivery.on && delivery.on <= $0.through }
                }
                let delivered = deliveries.reduce(0) { $0 + $1.quantity }
                // floor(max(0, delivered - pages / yield)), exactly.
                let excess = delivered * cartridge.yieldPages - pages
                let billed = excess > 0 ? excess / cartridge.yieldPages : 0
                line(.toner_excess, channel: channel.rawValue, parts: tonerParts(billed, deliveries, channel, lastVersion: tonerSegments.map(\.priceVersion).max() ?? 0, familyPrices), [
                    ("pages_a4_equivalents", .int(pages)), ("yield_pages", .int(cartridge.yieldPages)),
                    ("included_cartridges", .string(Self.fraction(pages, cartridge.yieldPages))),
                    ("delivered_cartridges", .int(delivered)), ("segments", segmentsJSON(tonerSegments)),
                    ("estimated", .bool(usage.estimated)),
                ])
            }
        }
        return lines
    }

    /// Cartridges billed on a channel, priced at the version in force on the
    /// day each was delivered. The included cartridges are the ones used
    /// first, so the billed ones are the last delivered.
    private func tonerParts(_ billed: Int, _ deliveries: [Delivery], _ channel: TonerChannel, lastVersion version: Int,
                            _ familyPrices: (Int) -> FamilyPrices) -> [PricedPart] {
        let prices = catalogue.prices
        var left = billed
        var parts: [PricedPart] = []
        for delivery in deliveries.sorted(by: { $0.on > $1.on }) where left > 0 {
            let version = prices.index(on: delivery.on)
            let taken = min(left, delivery.quantity)
            left -= taken
            if let index = parts.firstIndex(where: { $0.version == version }) {
                parts[index].quantity += taken
            } else {
                parts.append(PricedPart(version: version, segments: [], quantity: taken,
                                        unitPriceMinor: familyPrices(version).cartridgePriceMinor[channel] ?? 0))
            }
        }
        if parts.isEmpty {
            // Nothing billed: the price in force at the end of the toner-capped days.
            parts.append(PricedPart(version: version, segments: [], quantity: 0,
                                    unitPriceMinor: familyPrices(version).cartridgePriceMinor[channel] ?? 0))
        }
        return parts.sorted { $0.version < $1.version }
    }

    /// The part of a line billed under one price version.
    struct PricedPart {
        let version: Int
        /// The line's segments under this version (none for cartridges, priced by delivery day).
        let segments: [Segment]
        var quantity: Int
        let unitPriceMinor: Int
        /// Made only for a line that is kept: most devices' lines are not,
        /// and a fraction written with four decimals costs more than the line.
        var detail: () -> [(String, JSONValue)] = { [] }

        func json(_ prices: PriceList) -> JSONValue {
            let version = prices.versions[self.version]
            var members: [(String, JSONValue)] = [
                ("id", .string(version.id)), ("effective_from", version.effectiveFrom.map { .string($0.description) } ?? .null),
            ]
            if let first = segments.first, let last = segments.last {
                members += [("from", .string(first.from.description)), ("through", .string(last.through.description))]
            }
            return .object(members + detail() + [
                ("quantity", .int(quantity)), ("unit_price_minor", .int(unitPriceMinor)), ("amount_minor", .int(quantity * unitPriceMinor)),
            ])
        }
    }

    /// Out-of-scope and uncovered work resolved in the year, one line per request.
    public func serviceLines(_ requests: [ServiceRequest]) -> [BillingLine] {
        requests.compactMap { request in
            guard request.isBillable, let minutes = request.billableMinutes else { return nil }
            // The rate in force on the (local) day the work was resolved.
            let version = request.resolvedAt.map { catalogue.prices.version(on: calendar.localDate(of: $0)) } ?? catalogue.prices.versions[0]
            let rate = version.terms.hourlyRateMinor
            // minutes x rate / 60, rounded half up.
            let amount = (minutes * rate * 2 + 60) / 120
            return BillingLine(
                kind: .service_hours, deviceSerial: request.deviceSerial, customerID: request.customerID, dealerID: request.dealerID,
                channel: request.id, quantity: minutes, unitPriceMinor: rate, amountMinor: amount,
                currency: catalogue.currency,
                explanation: .object([
                    ("service_request_id", .string(request.id)), ("billable_minutes", .int(minutes)),
                    ("hourly_rate_minor", .int(rate)),
                    ("reason", .string(request.isCovered ? "outside_responsibility" : "uncovered")),
                    ("price_versions", .array([.object([
                        ("id", .string(version.id)), ("effective_from", version.effectiveFrom.map { .string($0.description) } ?? .null),
                    ])])),
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
