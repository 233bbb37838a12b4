public struct Customer: Sendable, Equatable {
    public let id: String
    public let dealerID: String
    public let name: String
    public let version: Int
    public let createdAt: String
    public let updatedAt: String
}
