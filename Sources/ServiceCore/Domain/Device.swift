public struct Device: Sendable, Equatable {
    public let serial: String
    public let model: String
    public let familyID: String
    public let customerID: String
    public let dealerID: String
    /// DMS reaches the device here; dealers must keep it current.
    public let ipAddress: String?
    public let installedOn: LocalDate?
    public let version: Int
    public let createdAt: String
    public let updatedAt: String
}
