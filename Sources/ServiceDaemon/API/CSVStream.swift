import ServiceCore
import ServiceHTTP

/// CSV answers written while they are produced, so an export of any size
/// holds at most one page (or 64 KiB of text) in memory: the billing and
/// invoicing runs' lines, stored or computed by a dry run.
enum CSVStream {
    /// Stored rows read per page.
    static let pageSize = 1_000
    /// Text gathered before it is handed to the connection.
    static let chunkBytes = 1 << 16

    /// `header`, then every row `produce` emits, in chunks of `chunkBytes`.
    /// A producer that fails part-way ends the stream without its last chunk.
    static func response(header: String, _ produce: @escaping @Sendable (_ emit: (String) throws -> Void) throws -> Void) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "text/csv; charset=utf-8")
        return HTTPResponse(status: .ok, headers: headers, body: .stream { writer in
            var buffer = Array(header.utf8)
            buffer.reserveCapacity(chunkBytes + 4_096)
            try produce { row in
                buffer.append(contentsOf: row.utf8)
                guard buffer.count >= chunkBytes else { return }
                try writer.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
            try writer.write(buffer)
        })
    }

    /// Stored rows with increasing row numbers, read a page at a time after
    /// the last number of the page before (keyset), each page in its own read.
    static func pages<Stored>(
        header: String, _ database: DatabasePool, read: @escaping @Sendable (_ connection: Connection, _ afterID: Int, _ limit: Int) throws -> [Stored],
        id: @escaping @Sendable (Stored) -> Int, row: @escaping @Sendable (Stored) -> String
    ) -> HTTPResponse {
        response(header: header) { emit in
            var after = 0
            while true {
                let page = try database.read { try read($0, after, pageSize) }
                for stored in page { try emit(row(stored)) }
                guard page.count == pageSize, let last = page.last else { return }
                after = id(last)
            }
        }
    }
}
