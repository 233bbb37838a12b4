import COpenSSL

/// HMAC-SHA256 through OpenSSL (webhook signatures).
public enum HMACSHA256 {
    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { key in
            message.withUnsafeBytes { message in
                HMAC(EVP_sha256(), key.baseAddress, Int32(key.count), message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                     message.count, &digest, &length)
            }
        }
        // Only fails on allocation failure inside OpenSSL; nothing sane to continue with.
        precondition(result != nil && length == 32, "HMAC(SHA-256) failed")
        return Array(digest.prefix(Int(length)))
    }
}
