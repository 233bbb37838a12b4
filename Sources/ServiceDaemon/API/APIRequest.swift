import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// What handlers need from a request beyond the HTTP layer: the principal,
/// the JSON body under the API's rules, paging, preconditions.
extension HTTPRequest {
    var principal: Principal {
        get throws {
            guard let principal = attributes[Principal.self] else {
                throw Problem(.internalServerError, detail: "route is not behind authentication")
            }
            return principal
        }
    }

    /// The principal, if its role is one of `roles`; 403 otherwise.
    func principal(_ roles: Principal.Role...) throws -> Principal {
        let principal = try self.principal
        guard roles.contains(principal.role) else { throw APIProblem.forbidden(principal) }
        return principal
    }

    /// The body as a JSON object (`jsonBody`: 415, 400, 413), an object (422 otherwise).
    func jsonObject(_ issues: ValidationIssues, limits: JSONParser.Limits = .request) throws -> ObjectReader {
        let value = try jsonBody(limits: limits)
        guard let reader = ObjectReader(value, issues: issues) else { throw APIProblem.validation(ValidationFailure(issues.list)) }
        return reader
    }

    /// Reads a JSON object body with `read`, then rejects unknown fields and
    /// throws 422 listing every issue, or returns what `read` built.
    func decode<T>(_ read: (ObjectReader) throws -> T?) throws -> T {
        let issues = ValidationIssues()
        let reader = try jsonObject(issues)
        let value = try read(reader)
        reader.rejectUnknownFields()
        if !issues.list.isEmpty { throw APIProblem.validation(ValidationFailure(issues.list)) }
        guard let value else { throw Problem(.internalServerError, detail: "request decoding produced no value") }
        return value
    }

    /// `?limit=` (default 50, 1...500) and `?cursor=`.
    func pageRequest() throws -> PageRequest {
        let limit = try limit()
        var after: String?
        if let cursor = query["cursor"] {
            guard let decoded = Cursor.decode(cursor) else { throw APIProblem.invalid("cursor", "is not a cursor this API issued") }
            after = decoded
        }
        return PageRequest(limit: limit, after: after)
    }

    /// `?limit=`: default 50, 1...500.
    func limit() throws -> Int {
        guard let text = query["limit"] else { return 50 }
        guard let value = Int(text), (1...500).contains(value) else { throw APIProblem.invalid("limit", "must be an integer between 1 and 500") }
        return value
    }

    /// 412 when `If-Match` names another version than the current one.
    func checkPrecondition(currentVersion: Int) throws {
        guard let header = headers["If-Match"] else { return }
        let current = ETag.value(currentVersion)
        let tags = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard tags.contains("*") || tags.contains(current) else {
            throw Problem(.preconditionFailed, detail: "the resource has changed: its ETag is now \(current)")
        }
    }

    /// `?from=&to=`: required inclusive local dates, in order, at most ten years apart.
    func datePeriod() throws -> (LocalDate, LocalDate) {
        var issues: [ValidationIssue] = []
        let from = try queryDate("from")
        let to = try queryDate("to")
        if from == nil { issues.append(ValidationIssue(field: "from", message: "is required (YYYY-MM-DD)")) }
        if to == nil { issues.append(ValidationIssue(field: "to", message: "is required (YYYY-MM-DD)")) }
        if let from, let to {
            if to < from { issues.append(ValidationIssue(field: "to", message: "must not be before from")) }
            if to.dayNumber - from.dayNumber > 3_700 { issues.append(ValidationIssue(field: "to", message: "the period may span at most ten years")) }
        }
        guard issues.isEmpty, let from, let to else { throw APIProblem.validation(ValidationFailure(issues)) }
        return (from, to)
    }

    /// `?name=` as one of an enumeration's raw values; 422 naming them otherwise.
    func queryChoice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = query[name] else { return nil }
        guard let choice = T(rawValue: text) else {
            throw APIProblem.invalid(name, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return choice
    }

    /// A device serial from the query, in its one stored form.
    func querySerial(_ name: String) -> String? {
        query[name].map(DeviceSerial.normalised)
    }

    /// The `{serial}` of the path, in its one stored form.
    func serialParameter() throws -> String {
        DeviceSerial.normalised(try parameters.require("serial"))
    }

    func queryDate(_ name: String) throws -> LocalDate? {
        guard let text = query[name] else { return nil }
        guard let date = LocalDate(text) else { throw APIProblem.invalid(name, "must be a date YYYY-MM-DD") }
        return date
    }
}

enum ETag {
    static func value(_ version: Int) -> String { "\"\(version)\"" }
}

/// Opaque paging cursors: the last id of a page, base64url-encoded so
/// clients do not build them.
enum Cursor {
    static func encode(_ after: String) -> String {
        Data(after.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) -> String? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard cursor.count <= 256, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
              !text.isEmpty else { return nil }
        return text
    }
}
