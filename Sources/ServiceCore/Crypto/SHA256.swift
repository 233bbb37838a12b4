import COpenSSL

/// SHA-256 through OpenSSL's EVP interface.
public enum SHA256 {
    public static let digestLength = 32

    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: digestLength)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha256(), nil)
        }
        // Only fails on allocation failure inside OpenSSL; nothing sane to continue with.
        precondition(ok == 1 && length == UInt32(digestLength), "EVP_Digest(SHA-256) failed")
        return digest
    }

    public static func hash(_ text: String) -> [UInt8] { hash(Array(text.utf8)) }
}
