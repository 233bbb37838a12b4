import ServiceJSON

/// The commercial catalogue: tiers, model families with their caps and
/// prices, implementation packages, add-ons, the support calendar. Every
/// number the business may change lives here, not in code.
public struct Catalogue: Sendable {
    public let currency: String
    public let hourlyRateMinor: Int
    public let consumableAlertThresholdPercent: Int
    public let tiers: [TierID: Tier]
    public let modelFamilies: [ModelFamily]
    public let services: [Service]
    public let implementationPackages: [ImplementationPackage]
    public let addOns: [AddOn]
    /// Prices, caps and rates by date: the figures above are its base version.
    public let prices: PriceList
    public let calendar: CalendarSettings
    /// Canon Professional Services: products, points, levels, subscription.
    public let cps: CPSRules
    public let imageprograf: IPFProgramme
    /// The document as loaded, served to portals unchanged.
    public let document: JSONValue

    public func family(id: String) -> ModelFamily? { modelFamilies.first { $0.id == id } }

    public func package(id: String) -> ImplementationPackage? { implementationPackages.first { $0.id == id } }

    public func service(id: String) -> Service? { services.first { $0.id == id } }

    public func addOn(id: String) -> AddOn? { addOns.first { $0.id == id } }
}

public enum TierID: String, Sendable, CaseIterable, Hashable {
    case standard, plus, premium
}

public struct Tier: Sendable {
    public let id: TierID
    public let name: String
    public let response: ResponseTime
    /// Whether colour volume counts against the family cap.
    public let colourCapped: Bool
    /// Whether toner above 5 % coverage is back-billed.
    public let tonerCapped: Bool
}

public enum ResponseTime: Sendable, Equatable {
    /// 16:00 on the business day after the one in which the clock starts.
    case nextBusinessDay
    case businessHours(Int)
}

public enum TonerChannel: String, Sendable, CaseIterable, Hashable {
    case black, cyan, magenta, yellow
}

public struct Cartridge: Sendable, Equatable {
    /// Pages at 5 % coverage.
    public let yieldPages: Int
    public let priceMinor: Int
}

public struct ModelFamily: Sendable {
    public let id: String
    public let name: String
    public let colourCapPerMonth: Int
    /// The models served, as Canon names them; stored on devices as such.
    public let models: [String]
    /// `ModelName.key` of each model, in the same order.
    public let modelKeys: [String]
    public let colourClickPriceMinor: Int
    public let bannerClickPriceMinor: Int
    public let ratedMonthlyDuty: Int
    /// Ratings of single models where the catalogue has them, by `ModelName.key`.
    public let ratedMonthlyDutyByModel: [String: Int]
    public let cartridges: [TonerChannel: Cartridge]

    public init(
        id: String, name: String, colourCapPerMonth: Int, models: [String], colourClickPriceMinor: Int,
        bannerClickPriceMinor: Int, ratedMonthlyDuty: Int, ratedMonthlyDutyByModel: [String: Int] = [:], cartridges: [TonerChannel: Cartridge]
    ) {
        self.ratedMonthlyDutyByModel = ratedMonthlyDutyByModel
        self.id = id
        self.name = name
        self.colourCapPerMonth = colourCapPerMonth
        self.models = models
        self.modelKeys = models.map(ModelName.key)
        self.colourClickPriceMinor = colourClickPriceMinor
        self.bannerClickPriceMinor = bannerClickPriceMinor
        self.ratedMonthlyDuty = ratedMonthlyDuty
        self.cartridges = cartridges
    }

    /// The model's own rating where the catalogue has one, else the family's.
    public func ratedDuty(model: String) -> (duty: Int, source: String) {
        ratedMonthlyDutyByModel[ModelName.key(model)].map { ($0, "model") } ?? (ratedMonthlyDuty, "family")
    }
}

public struct Service: Sendable {
    public let id: String
    public let name: String
    /// When the service is done, relative to the delivery of the device.
    public let performed: Performed
    /// Must be finished by closing time of this many working days after delivery; nil: no deadline.
    public let workingDaysAfterDelivery: Int?
    /// How work on site is counted and billed; nil for services not recorded by time.
    public let time: TimedService?

    public enum Performed: String, Sendable, CaseIterable {
        /// At the preparation centre, before the device is transported.
        case before_delivery
        /// The delivery itself: done when the device is delivered.
        case at_delivery
        /// At the customer's, once the device is there.
        case after_delivery
    }
}

/// A service whose work is recorded in minutes on a work order: what the
/// package includes, and how time beyond it is rounded for billing.
public struct TimedService: Sendable, Equatable {
    public let includedMinutes: Int
    /// Billable minutes are rounded up to a multiple of this: 60 for a
    /// service "sold in units of 1 working hour", 1 for by the minute.
    public let billedInMinutes: Int
    /// The inclusion covers sessions of at most this many people (training:
    /// "groups up to 6"); nil when group size does not matter.
    public let maxPeople: Int?

    public init(includedMinutes: Int, billedInMinutes: Int, maxPeople: Int?) {
        self.includedMinutes = includedMinutes
        self.billedInMinutes = billedInMinutes
        self.maxPeople = maxPeople
    }
}

public struct ImplementationPackage: Sendable {
    public let id: String
    public let name: String
    public let included: [String]
    /// Included services a contract may remove ("kan nedgraderes"): a
    /// downgrade leaves the service out, it never earns a credit.
    public let downgradable: [String]
    public let optional: [String]

    public init(id: String, name: String, included: [String], downgradable: [String] = [], optional: [String]) {
        self.id = id
        self.name = name
        self.included = included
        self.downgradable = downgradable
        self.optional = optional
    }

    /// The services a contract on this package receives: the included ones it
    /// has not downgraded, then the options it bought.
    public func services(downgrades: [String], options: [String]) -> [String] {
        included.filter { !downgrades.contains($0) } + options.filter { !included.contains($0) }
    }
}

public struct AddOn: Sendable {
    public let id: String
    public let name: String
    public let pricePerHourMinor: Int
}

public struct CalendarSettings: Sendable {
    public let timeZone: String
    /// Opening hours per ISO weekday (1 = Monday ... 7 = Sunday), minutes
    /// after midnight; days absent are closed.
    public let hours: [Int: ClosedRange<Int>]
    /// Public-holiday set; only "NO" (Norway) is known.
    public let holidays: String
    public let extraClosedDates: [LocalDate]
}
