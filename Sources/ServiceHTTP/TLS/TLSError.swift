/// Why a certificate or key could not be used: one line naming the setting
/// and the file, for an operator to act on.
public struct TLSError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
