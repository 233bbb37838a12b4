/// One invalid input field: its path (`prepaid.amount_minor`,
/// `device_serials[2]`, `model_families[1].cartridges.cyan.yield_pages`) and
/// what is wrong with it.
public struct ValidationIssue: Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Every issue found in one input; thrown once all fields were examined, so
/// a caller learns about all of its mistakes in one round trip.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    public let issues: [ValidationIssue]

    public init(_ issues: [ValidationIssue]) { self.issues = issues }
    public init(field: String, message: String) { issues = [ValidationIssue(field: field, message: message)] }

    public var description: String { issues.map(\.description).joined(separator: "; ") }
}

/// Collects issues while a reader walks an input.
public final class ValidationIssues {
    public private(set) var list: [ValidationIssue] = []

    public init() {}

    public func add(_ field: String, _ message: String) {
        list.append(ValidationIssue(field: field, message: message))
    }

    public func throwIfAny() throws(ValidationFailure) {
        if !list.isEmpty { throw ValidationFailure(list) }
    }
}
