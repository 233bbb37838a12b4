extension ObjectReader {
    /// An ISO 4217 code: three capital letters.
    public func currencyCode(_ key: String) -> String? {
        guard let code = string(key) else { return nil }
        guard code.utf8.count == 3, code.utf8.allSatisfy({ (65...90).contains($0) }) else {
            issues.add(field(key), "must be an ISO 4217 code such as EUR")
            return nil
        }
        return code
    }
}
