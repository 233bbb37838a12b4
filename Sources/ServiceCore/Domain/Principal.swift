/// Who is calling: the API key's id and role, and for dealer keys the one
/// dealer whose data the key may see.
public struct Principal: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable {
        case admin, dealer, billing
    }

    public let keyID: String?
    public let role: Role
    public let dealerID: String?

    public init(keyID: String?, role: Role, dealerID: String?) {
        self.keyID = keyID
        self.role = role
        self.dealerID = dealerID
    }

    /// The dealer a query must be confined to; nil means every dealer.
    public var dealerScope: String? { role == .dealer ? dealerID : nil }

    /// Whether this principal may see a row owned by `dealerID`.
    public func canSee(dealer owner: String) -> Bool {
        role != .dealer || dealerID == owner
    }

    /// For actions taken from the command line by an operator.
    public static let commandLine = Principal(keyID: nil, role: .admin, dealerID: nil)
}
