/// "A product's points may reduce over time": the points a product is worth
/// on a date. Points are always computed as of a date, so any past total can
/// be reproduced and a date-driven drop needs no batch job.
public struct PointsRules: Sendable, Equatable {
    /// From `superseded_on`: base x this percentage (rounded up), never under the floor.
    public let supersededPercent: Int
    /// The floor: base x this percentage, rounded up; from `service_ends_on` the product is worth only that.
    public let floorPercent: Int

    public init(supersededPercent: Int, floorPercent: Int) {
        self.supersededPercent = supersededPercent
        self.floorPercent = floorPercent
    }

    public func floor(_ product: CPSProduct) -> Int { Self.percentRoundedUp(product.basePoints, floorPercent) }

    public func points(of product: CPSProduct, on date: LocalDate) -> Int {
        if let end = product.serviceEndsOn, date >= end { return floor(product) }
        if let superseded = product.supersededOn, date >= superseded {
            return max(floor(product), Self.percentRoundedUp(product.basePoints, supersededPercent))
        }
        return product.basePoints
    }

    /// ceil(value x percent / 100) in integers.
    static func percentRoundedUp(_ value: Int, _ percent: Int) -> Int { (value * percent + 99) / 100 }
}
