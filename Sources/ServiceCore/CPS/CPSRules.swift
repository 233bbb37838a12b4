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
    /// The products' ids, at their positions in `products`: a look-up hands
    /// out the product where it lies (a member's total looks up every
    /// product it holds), and stored ids are read without a string each.
    public let productIDs: InternedStrings

    public init(points: PointsRules, levels: LevelThresholds, subscription: SubscriptionRules,
                participatingCountries: Set<String>, products: [CPSProduct], servicing: CPSServicing) {
        self.points = points
        self.levels = levels
        self.subscription = subscription
        self.participatingCountries = participatingCountries
        self.products = products
        self.servicing = servicing
        productIDs = InternedStrings(products.map(\.id))
    }

    public func product(id: String) -> CPSProduct? { productIDs.position(of: id).map { products[$0] } }

    /// What the catalogue's product `id` is worth on `date`; nil for an id the catalogue does not hold.
    public func points(ofProduct id: String, on date: LocalDate) -> Int? {
        guard let index = productIDs.position(of: id) else { return nil }
        return points.points(of: products[index], on: date)
    }

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
