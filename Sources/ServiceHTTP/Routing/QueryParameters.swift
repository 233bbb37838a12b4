import ServiceJSON

/// Decoded `application/x-www-form-urlencoded` query parameters in order.
/// A route sees only names its template declares, each at most once.
public struct QueryParameters: Sendable {
    private var pairs: [(name: String, value: String)] = []
    /// What the route declares (see `Router`); nil before routing.
    private var accepted: Set<String>?

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

    /// Checks the parameters against those a route declares: 422 naming
    /// each unknown or repeated one, in the API's validation format.
    mutating func accept(_ declared: Set<String>) -> Problem? {
        accepted = declared
        var seen = Set<String>()
        var errors: [JSONValue] = []
        for name in pairs.map(\.name) where seen.insert(name).inserted {
            if !declared.contains(name) {
                errors.append(Self.error(name, declared.isEmpty ? "this endpoint takes no query parameters"
                    : "is not a query parameter of this endpoint; it takes \(declared.sorted().joined(separator: ", "))"))
            } else if pairs.lazy.filter({ $0.name == name }).count > 1 {
                errors.append(Self.error(name, "is given more than once"))
            }
        }
        guard !errors.isEmpty else { return nil }
        return Problem(.unprocessableContent, detail: errors.count == 1 ? "1 invalid field" : "\(errors.count) invalid fields",
                       type: "/problems/validation", extensions: [("errors", .array(errors))])
    }

    private static func error(_ name: String, _ message: String) -> JSONValue {
        .object([("field", .string(name)), ("message", .string(message))])
    }

    public var isEmpty: Bool { pairs.isEmpty }
    public var names: [String] { pairs.map(\.name) }

    public subscript(_ name: String) -> String? {
        assert(accepted?.contains(name) ?? true, "the route reads query parameter \(name) without declaring it in its template")
        return pairs.first { $0.name == name }?.value
    }
}
