public struct Dealer: Sendable, Equatable {
    public let id: String
    public let name: String
    public let createdAt: String
}
