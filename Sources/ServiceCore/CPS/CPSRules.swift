/// The numbers the CPS seeds leave open, read from the catalogue's `cps`
/// section (each one marked there as an assumption).
public struct CPSRules: Sendable {
    public let points: PointsRules
    public let levels: LevelThresholds
    public let subscription: SubscriptionRules
    /// ISO 3166 alpha-2 codes of the participating region (EMEA): a product
    /// bought elsewhere is a grey import without local warranty.
    public let participatingCountries: Set<String>
    public let products: [CPSProduct]
    public let servicing: CPSServicing
    private let productsByID: [String: CPSProduct]

    public init(points: PointsRules, levels: LevelThresholds, subscription: SubscriptionRules,
                participatingCountries: Set<String>, products: [CPSProduct], servicing: CPSServicing) {
        self.points = points
        self.levels = levels
        self.subscription = subscription
        self.participatingCountries = participatingCountries
        self.products = products
        self.servicing = servicing
        productsByID = Dictionary(products.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func product(id: String) -> CPSProduct? { productsByID[id] }

    /// Products whose name contains every word of `query`, case-insensitively.
    public func products(matching query: String?) -> [CPSProduct] {
        guard let query else { return products }
        let words = query.lowercased().split(whereSeparator: \.isWhitespace)
        return products.filter { product in
            let name = product.name.lowercased()
            return words.allSatisfy { name.contains($0) }
        }
    }
}
