import Foundation

/// Standard Webhooks signing (https://www.standardwebhooks.com): the secret
/// is `whsec_` and the base64 of the key; a delivery carries `webhook-id`,
/// `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64 of
/// HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, so receivers verify it
/// with the specification's libraries.
public enum WebhookSignature {
    public static let secretPrefix = "whsec_"

    /// A new secret: 32 random bytes.
    public static func makeSecret() throws -> String {
        secretPrefix + Data(try SecureRandom.bytes(count: 32)).base64EncodedString()
    }

    /// The key a secret stands for; nil for a string that is not one.
    public static func key(_ secret: String) -> [UInt8]? {
        guard secret.hasPrefix(secretPrefix), let key = Data(base64Encoded: String(secret.dropFirst(secretPrefix.count))),
              !key.isEmpty else { return nil }
        return Array(key)
    }

    /// The `webhook-signature` header value.
    public static func sign(id: String, timestamp: Int, body: [UInt8], secret: String) -> String? {
        guard let key = key(secret) else { return nil }
        let message = Array("\(id).\(timestamp).".utf8) + body
        return "v1," + Data(HMACSHA256.authenticate(message, key: key)).base64EncodedString()
    }
}
