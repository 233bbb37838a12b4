import Foundation

/// API keys: 32 random bytes shown once as `sdk_<base64url>`, stored only as
/// their SHA-256 and looked up by it.
public enum APIKey {
    public static let prefix = "sdk_"

    public static func generate() throws -> String {
        let bytes = try SecureRandom.bytes(count: 32)
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + base64
    }

    public static func hash(_ key: String) -> [UInt8] { SHA256.hash(key) }
}
