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

    /// Whether the client asks for CSV (`Accept: text/csv`) rather than the route's JSON.
    var acceptsCSV: Bool { headers["Accept"]?.lowercased().contains("text/csv") == true }

    /// `?limit=` (default 50, 1...500) and `?cursor=`.
    func pageRequest() throws -> PageRequest {
        let limit = try limit()
        var after: String?
        if let cursor = query["cursor"] {
            guard let decoded = Cursor.decode(cursor) else {
                throw APIProblem.invalid("cursor", "must be a next_cursor this API issued (letters, digits, _ - .)")
            }
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

    /// `limit` and `cursor` for lists keyed by a row number (audit, billing
    /// lines): the cursor is the last number of the previous page.
    func numberedPageRequest() throws -> (limit: Int, after: Int) {
        (try limit(), try numberedCursor("cursor") ?? 0)
    }

    /// `?name=` as a row number a `next_cursor` of this API gave (digits
    /// only, as the document's pattern says); nil when absent.
    func numberedCursor(_ name: String) throws -> Int? {
        guard let text = query[name] else { return nil }
        guard (1...18).contains(text.utf8.count), text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let number = Int(text) else {
            throw APIProblem.invalid(name, "must be a next_cursor this API issued (a number)")
        }
        return number
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
    func querySerial(_ name: String) throws -> String? {
        guard let text = query[name] else { return nil }
        let serial = DeviceSerial.normalised(text)
        // A filter no serial can match is a mistake to name, not an empty list.
        if let problem = DeviceSerial.problem(serial) { throw APIProblem.invalid(name, problem) }
        return serial
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

/// Paging cursors: the key of a page's last item (an id, a serial, a line
/// number), passed back as is. Every list is ordered by that key and pages
/// by "greater than", so any well-formed key is a position and a cursor
/// can never be stale; only its characters are checked.
enum Cursor {
    static func encode(_ after: String) -> String { after }

    static func decode(_ cursor: String) -> String? {
        guard (1...128).contains(cursor.utf8.count), cursor.utf8.allSatisfy(isKeyByte) else { return nil }
        return cursor
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }
}
