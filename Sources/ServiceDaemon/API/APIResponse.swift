import ServiceCore
import ServiceHTTP
import ServiceJSON

enum APIResponse {
    static func json(_ status: HTTPStatus = .ok, _ value: JSONValue, version: Int? = nil, location: String? = nil) -> HTTPResponse {
        var response = HTTPResponse.json(status, value.bytes)
        if let version { response.headers.add("ETag", ETag.value(version)) }
        if let location { response.headers.add("Location", location) }
        return response
    }

    static func page<T>(_ page: Page<T>, _ present: (T) -> JSONValue) -> HTTPResponse {
        json(.ok, .object([
            ("items", .array(page.items.map(present))),
            ("next_cursor", page.nextAfter.map { .string(Cursor.encode($0)) } ?? .null),
        ]))
    }

    /// A page of rows keyed by a row number, read with one row beyond
    /// `limit` to tell whether another page follows; the cursor is the last
    /// number on the page.
    static func numberedPage<T>(_ rows: [T], limit: Int, id: (T) -> Int, _ present: (T) -> JSONValue) -> HTTPResponse {
        let items = rows.prefix(limit)
        return json(.ok, .object([
            ("items", .array(items.map(present))),
            ("next_cursor", rows.count > limit ? items.last.map { .string(Cursor.encode(String(id($0)))) } ?? .null : .null),
        ]))
    }
}
