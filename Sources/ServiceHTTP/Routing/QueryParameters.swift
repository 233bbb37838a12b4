/// Decoded `application/x-www-form-urlencoded` query parameters in order;
/// repeated names are kept.
public struct QueryParameters: Sendable {
    private var pairs: [(name: String, value: String)] = []

    public init() {}

    /// Nil when the query is not validly encoded.
    init?(rawQuery: String?) {
        guard let rawQuery, !rawQuery.isEmpty else { return }
        for component in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring, value: Substring
            if let equals = component.firstIndex(of: "=") {
                name = component[..<equals]
                value = component[component.index(after: equals)...]
            } else {
                name = component
                value = ""
            }
            guard let decodedName = PercentDecoding.decode(name, plusAsSpace: true),
                  let decodedValue = PercentDecoding.decode(value, plusAsSpace: true) else { return nil }
            pairs.append((decodedName, decodedValue))
        }
    }

    public var isEmpty: Bool { pairs.isEmpty }
    public var names: [String] { pairs.map(\.name) }

    public subscript(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    public func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }
}
