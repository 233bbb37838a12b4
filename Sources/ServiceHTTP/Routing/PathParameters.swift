/// Values captured by `{name}` segments of the matched route, decoded.
public struct PathParameters: Sendable {
    private var values: [(name: String, value: String)] = []

    public init() {}

    mutating func append(_ name: String, _ value: String) { values.append((name, value)) }

    public subscript(_ name: String) -> String? {
        values.first { $0.name == name }?.value
    }

    /// The parameter as a string; its absence is a routing bug, hence 500.
    public func require(_ name: String) throws -> String {
        guard let value = self[name] else {
            throw Problem(.internalServerError, detail: "route has no parameter '\(name)'")
        }
        return value
    }

    /// The parameter converted to `T`; a value that does not convert is the
    /// client's mistake and answers 400 naming the parameter.
    public func require<T: LosslessStringConvertible>(_ name: String, as type: T.Type) throws -> T {
        let text = try require(name)
        guard let value = T(text) else {
            throw Problem(.badRequest, detail: "path parameter '\(name)' is not a valid \(T.self): '\(text)'")
        }
        return value
    }
}
