/// The catalogue's prices, caps and rates over time. The values written in
/// `model_families`, `hourly_rate_minor` and `add_ons` are the base version,
/// in force from the beginning; each entry of `price_versions` takes effect
/// on its `effective_from` date and states only what changes from the
/// version before it. Billing prices each covered day at the version in
/// force that day, so a year already billed keeps the prices it was billed
/// at when a later change is dated after it.
public struct PriceList: Sendable {
    /// The base version first, then the dated ones in date order.
    public let versions: [PriceVersion]

    public init(versions: [PriceVersion]) {
        precondition(!versions.isEmpty && versions[0].effectiveFrom == nil)
        self.versions = versions
    }

    /// The id the base version is known by in explanations.
    public static let baseID = "base"

    /// The index of the version in force on `date`.
    public func index(on date: LocalDate) -> Int {
        var found = 0
        for position in versions.indices.dropFirst() {
            guard let from = versions[position].effectiveFrom, from <= date else { break }
            found = position
        }
        return found
    }

    public func version(on date: LocalDate) -> PriceVersion { versions[index(on: date)] }

    /// The days `from` through `through`, split where a version takes effect.
    public func pieces(from: LocalDate, through: LocalDate) -> [Piece] {
        guard from <= through else { return [] }
        var out: [Piece] = []
        var start = from
        var current = index(on: from)
        for position in versions.indices.dropFirst(current + 1) {
            guard let next = versions[position].effectiveFrom, next <= through else { break }
            out.append(Piece(from: start, through: next.adding(days: -1), version: current))
            start = next
            current = position
        }
        out.append(Piece(from: start, through: through, version: current))
        return out
    }

    public struct Piece: Sendable, Equatable {
        public let from: LocalDate
        public let through: LocalDate
        /// Index into `versions`.
        public let version: Int
    }
}

/// One version of the price list: every price, cap and rate it fixes,
/// whether stated in it or carried over from the version before.
public struct PriceVersion: Sendable {
    public let id: String
    /// Nil for the base version.
    public let effectiveFrom: LocalDate?
    public let terms: PriceTerms

    public init(id: String, effectiveFrom: LocalDate?, terms: PriceTerms) {
        self.id = id
        self.effectiveFrom = effectiveFrom
        self.terms = terms
    }
}

/// The figures that change with a price version.
public struct PriceTerms: Sendable, Equatable {
    public var hourlyRateMinor: Int
    /// By model family id.
    public var families: [String: FamilyPrices]
    /// Hourly price of each add-on, by id.
    public var addOns: [String: Int]

    public init(hourlyRateMinor: Int, families: [String: FamilyPrices], addOns: [String: Int]) {
        self.hourlyRateMinor = hourlyRateMinor
        self.families = families
        self.addOns = addOns
    }
}

/// A model family's prices and cap (yields and duty are properties of the
/// machine, not prices, and do not change with a version).
public struct FamilyPrices: Sendable, Equatable {
    public var colourCapPerMonth: Int
    public var colourClickPriceMinor: Int
    public var bannerClickPriceMinor: Int
    public var cartridgePriceMinor: [TonerChannel: Int]

    public init(colourCapPerMonth: Int, colourClickPriceMinor: Int, bannerClickPriceMinor: Int, cartridgePriceMinor: [TonerChannel: Int]) {
        self.colourCapPerMonth = colourCapPerMonth
        self.colourClickPriceMinor = colourClickPriceMinor
        self.bannerClickPriceMinor = bannerClickPriceMinor
        self.cartridgePriceMinor = cartridgePriceMinor
    }

    public init(_ family: ModelFamily) {
        self.init(colourCapPerMonth: family.colourCapPerMonth, colourClickPriceMinor: family.colourClickPriceMinor,
                  bannerClickPriceMinor: family.bannerClickPriceMinor, cartridgePriceMinor: family.cartridges.mapValues(\.priceMinor))
    }
}
