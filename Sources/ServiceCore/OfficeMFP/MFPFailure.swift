/// Why an office MFP operation refused, in terms the API turns into 404, 409 or 422.
public enum MFPFailure: Error, Equatable, CustomStringConvertible {
    case notFound(kind: String, id: String)
    /// 409; `extensions` are shown to the caller (the record's state).
    case conflict(String, extensions: [String: String] = [:])
    case invalid([ValidationIssue])

    public static func invalid(_ field: String, _ message: String) -> MFPFailure {
        .invalid([ValidationIssue(field: field, message: message)])
    }

    public var description: String {
        switch self {
        case .notFound(let kind, let id): return "\(kind) \(id) not found"
        case .conflict(let detail, _): return detail
        case .invalid(let issues): return issues.map(\.description).joined(separator: "; ")
        }
    }
}
