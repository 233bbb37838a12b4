import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's CSPRNG (API keys,
/// tokens). Failure is reported, never papered over with weaker randomness.
public enum SecureRandom {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String { "OpenSSL RAND_bytes failed" }
    }

    public static func bytes(count: Int) throws -> [UInt8] {
        precondition(count >= 0)
        var bytes = [UInt8](repeating: 0, count: count)
        guard count == 0 || RAND_bytes(&bytes, Int32(count)) == 1 else { throw Failure() }
        return bytes
    }
}
