/// A product in a member's Kitbag. "Points count only once the product is
/// fully registered": serial, country of purchase, date of purchase and
/// store. An incomplete registration is kept and shown with what is missing.
/// A registration that leaves the Kitbag (removed, migrated) is kept, ended,
/// so the history and past totals stay reproducible.
public struct Registration: Sendable, Equatable {
    public enum StartReason: String, Sendable, CaseIterable {
        case registered
        case migratedIn = "migrated_in"
    }

    public enum EndReason: String, Sendable, CaseIterable {
        case removed
        case migratedOut = "migrated_out"
    }

    public struct Details: Sendable, Equatable {
        public var serial: String?
        public var countryOfPurchase: String?
        public var purchasedOn: LocalDate?
        public var store: String?
        public var secondHand: Bool

        public init(serial: String? = nil, countryOfPurchase: String? = nil, purchasedOn: LocalDate? = nil, store: String? = nil,
                    secondHand: Bool = false) {
            self.serial = serial
            self.countryOfPurchase = countryOfPurchase
            self.purchasedOn = purchasedOn
            self.store = store
            self.secondHand = secondHand
        }

        /// The four details the FAQ asks for, in its order, that are absent.
        public var missing: [String] {
            var missing: [String] = []
            if serial == nil { missing.append("serial") }
            if countryOfPurchase == nil { missing.append("country_of_purchase") }
            if purchasedOn == nil { missing.append("purchased_on") }
            if store == nil { missing.append("store") }
            return missing
        }

        public var isComplete: Bool { missing.isEmpty }
    }

    public let id: String
    public let memberID: String
    public let productID: String
    public var details: Details
    public let addedOn: LocalDate
    public let startReason: StartReason
    /// Whether all four details came with the registration (its history then says
    /// `registered`, else `completed` on the day the last one arrived).
    public let completeWhenAdded: Bool
    /// The day the fourth detail arrived (or the day added, if complete then): points count from here.
    public var completedOn: LocalDate?
    public var endedOn: LocalDate?
    public var endReason: EndReason?
    public var version: Int

    public init(id: String, memberID: String, productID: String, details: Details, addedOn: LocalDate, startReason: StartReason,
                completedOn: LocalDate?, completeWhenAdded: Bool? = nil, endedOn: LocalDate? = nil, endReason: EndReason? = nil,
                version: Int = 1) {
        self.id = id
        self.memberID = memberID
        self.productID = productID
        self.details = details
        self.addedOn = addedOn
        self.startReason = startReason
        self.completedOn = completedOn
        self.completeWhenAdded = completeWhenAdded ?? (completedOn == addedOn)
        self.endedOn = endedOn
        self.endReason = endReason
        self.version = version
    }

    /// Whether the registration's points count on `date`: complete by then and not yet ended.
    public func counts(on date: LocalDate) -> Bool { pointsSpan.counts(on: date) }

    public func isInKitbag(on date: LocalDate) -> Bool {
        addedOn <= date && (endedOn.map { date < $0 } ?? true)
    }

    /// A grey import: bought outside the participating region, so no local warranty (points still count).
    public func localWarranty(participating: Set<String>) -> Bool? {
        details.countryOfPurchase.map(participating.contains)
    }

    /// Sets the given details; the registration counts from `today` once the last missing one arrives.
    public func updating(_ change: (inout Details) -> Void, today: LocalDate) -> Registration {
        var updated = self
        change(&updated.details)
        if updated.completedOn == nil && updated.details.isComplete { updated.completedOn = today }
        return updated
    }
}
