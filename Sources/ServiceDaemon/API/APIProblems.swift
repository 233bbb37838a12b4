import ServiceCore
import ServiceHTTP
import ServiceJSON

/// The problem documents of the API, so every handler answers alike.
enum APIProblem {
    /// 422 listing every invalid field.
    static func validation(_ failure: ValidationFailure) -> Problem {
        Problem(
            .unprocessableContent,
            detail: failure.issues.count == 1 ? "1 invalid field" : "\(failure.issues.count) invalid fields",
            type: "/problems/validation",
            extensions: [("errors", .array(failure.issues.map { issue in
                .object([("field", .string(issue.field)), ("message", .string(issue.message))])
            }))]
        )
    }

    static func invalid(_ field: String, _ message: String) -> Problem {
        validation(ValidationFailure(field: field, message: message))
    }

    /// The same answer for "does not exist" and "belongs to another dealer".
    static func notFound(_ kind: String, _ id: String) -> Problem {
        Problem(.notFound, detail: "\(kind) \(id) not found")
    }

    static func forbidden(_ principal: Principal) -> Problem {
        Problem(.forbidden, detail: "a \(principal.role.rawValue) key may not do this")
    }

    static func conflict(_ detail: String, extensions: [(String, JSONValue)] = []) -> Problem {
        Problem(.conflict, detail: detail, type: "/problems/conflict", extensions: extensions)
    }
}
