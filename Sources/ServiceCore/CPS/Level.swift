/// CPS membership levels. The free programme's level follows from points;
/// a subscription member has the level it enrolled in (Corporate only there).
public enum CPSLevel: String, Sendable, CaseIterable, Comparable {
    case red, silver, gold, platinum, corporate

    public static func < (lhs: CPSLevel, rhs: CPSLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Free programme: Red below Silver; Silver, Gold and Platinum from their
/// thresholds of total points.
public struct LevelThresholds: Sendable, Equatable {
    public let silver: Int
    public let gold: Int
    public let platinum: Int

    public init(silver: Int, gold: Int, platinum: Int) {
        self.silver = silver
        self.gold = gold
        self.platinum = platinum
    }

    public func level(for points: Int) -> CPSLevel {
        if points >= platinum { return .platinum }
        if points >= gold { return .gold }
        if points >= silver { return .silver }
        return .red
    }

    /// Points still needed for the next level; nil at Platinum.
    public func pointsToNextLevel(from points: Int) -> Int? {
        switch level(for: points) {
        case .red: return silver - points
        case .silver: return gold - points
        case .gold: return platinum - points
        case .platinum, .corporate: return nil
        }
    }
}
