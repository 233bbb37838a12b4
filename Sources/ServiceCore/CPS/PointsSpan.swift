/// What a registration adds to its member's points: its product, counted
/// from the day the registration was complete until the day it left the
/// Kitbag. A total on a date reads nothing else of a registration.
public struct PointsSpan: Sendable, Equatable {
    public let productID: String
    /// The day the fourth detail arrived (or the day added, if complete then); nil while incomplete.
    public let completedOn: LocalDate?
    /// The day it left the Kitbag (removed, migrated); nil while it is there.
    public let endedOn: LocalDate?

    public init(productID: String, completedOn: LocalDate?, endedOn: LocalDate?) {
        self.productID = productID
        self.completedOn = completedOn
        self.endedOn = endedOn
    }

    /// "Points count only once the product is fully registered", and no
    /// longer from the day it leaves the Kitbag.
    public func counts(on date: LocalDate) -> Bool {
        guard let completedOn, completedOn <= date else { return false }
        return endedOn.map { date < $0 } ?? true
    }
}

extension Registration {
    public var pointsSpan: PointsSpan { PointsSpan(productID: productID, completedOn: completedOn, endedOn: endedOn) }
}
