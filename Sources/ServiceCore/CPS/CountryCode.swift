/// ISO 3166-1 alpha-2 country codes as the API takes them: two capital letters.
/// Whether a code is in the participating region is the catalogue's business.
public enum CountryCode {
    public static func isWellFormed(_ code: String) -> Bool {
        code.utf8.count == 2 && code.utf8.allSatisfy { (65...90).contains($0) }
    }
}
