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
        self.page(page) { json, item in json.value(present(item)) }
    }

    static func page<T: JSONResource>(_ page: Page<T>) -> HTTPResponse {
        self.page(page) { json, item in item.write(to: &json) }
    }

    /// A page written straight to bytes, item by item: the pages that carry
    /// tens of kilobytes (contracts, service requests, a run's lines) build no tree.
    static func page<T>(_ page: Page<T>, writing write: (inout JSONWriter, T) -> Void) -> HTTPResponse {
        list(page.items, next: page.nextAfter, write)
    }

    /// A page of rows keyed by a row number, read with one row beyond
    /// `limit` to tell whether another page follows; the cursor is the last
    /// number on the page.
    static func numberedPage<T>(_ rows: [T], limit: Int, id: (T) -> Int, _ present: (T) -> JSONValue) -> HTTPResponse {
        numberedPage(rows, limit: limit, id: id) { json, item in json.value(present(item)) }
    }

    static func numberedPage<T>(_ rows: [T], limit: Int, id: (T) -> Int, writing write: (inout JSONWriter, T) -> Void) -> HTTPResponse {
        let items = rows.prefix(limit)
        return list(items, next: rows.count > limit ? items.last.map { String(id($0)) } : nil, write)
    }

    /// Room for 1 280 bytes an item: a service request with its events is
    /// about 820, a contract with a hundred serials 1 100, and a writer that
    /// outgrows its room copies all it wrote (two large allocations, and
    /// glibc tidies its small free chunks before each).
    private static func list<Items: Collection>(_ items: Items, next: String?, _ write: (inout JSONWriter, Items.Element) -> Void) -> HTTPResponse {
        HTTPResponse.json(.ok, JSONWriter.bytes(capacity: 4_096 + 1_280 * items.count) { json in
            json.object { json in
                json.key("items")
                json.array(items, write)
                json.member("next_cursor", next.map(Cursor.encode))
            }
        })
    }
}

/// A resource written straight to JSON; its tree form, for the answers that
/// embed it, is the same bytes.
protocol JSONResource {
    func write(to json: inout JSONWriter)
}

extension JSONResource {
    var json: JSONValue { .written { write(to: &$0) } }
}
