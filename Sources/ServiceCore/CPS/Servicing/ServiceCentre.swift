/// Where CPS equipment is serviced. Canon's own Professional Service Centres
/// (PSC) and Customer Experience Centres (CEC) come from the catalogue;
/// authorised partners are independent workshops run by a dealer.
public struct ServiceCentre: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case psc, cec, partner

        /// "Canon-owned service locations": the only ones giving CPS maintenance
        /// discounts, free return shipping, and Fast Track on maintenance and upgrades.
        public var isCanonOwned: Bool { self != .partner }
    }

    public let id: String
    public let name: String
    public let country: String
    public let kind: Kind
    /// The dealer running a partner centre (its key acts for the centre).
    public let dealerID: String?

    public init(id: String, name: String, country: String, kind: Kind, dealerID: String? = nil) {
        self.id = id
        self.name = name
        self.country = country
        self.kind = kind
        self.dealerID = dealerID
    }
}

public enum ServiceKind: String, Sendable, CaseIterable {
    case repair, maintenance, upgrade
}
