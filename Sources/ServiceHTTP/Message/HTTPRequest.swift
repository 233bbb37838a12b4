/// A fully received request. The body is complete by the time a handler sees
/// it: bodies are bounded by `ServerConfiguration.maxBodyBytes`, so buffering
/// is cheaper and simpler than streaming them.
public struct HTTPRequest: Sendable {
    /// What arrived, never changed afterwards, behind one reference: each
    /// middleware hands the request on by value, and copying it retained a
    /// dozen strings and arrays where it now retains half as many.
    private let received: Received

    public var method: HTTPMethod { received.method }
    /// The request target exactly as received (origin-form or absolute-form).
    public var target: String { received.target }
    /// The percent-encoded path of the target, without query or fragment.
    public var path: String { received.path }
    /// The raw query string without the `?`, if the target had one.
    public var rawQuery: String? { received.rawQuery }
    public var version: HTTPVersion { received.version }
    public var headers: HTTPHeaders { received.headers }
    public var body: [UInt8] { received.body }
    /// Peer address as `ip:port` (IPv6 in brackets).
    public var remoteAddress: String { received.remoteAddress }
    /// Whether the connection may carry another request after this one.
    public var keepAlive: Bool { received.keepAlive }
    /// Template parameters of the matched route, percent-decoded.
    public internal(set) var parameters: PathParameters = PathParameters()
    /// Decoded query parameters; filled by the router before any handler runs.
    public internal(set) var query: QueryParameters = QueryParameters()
    /// The route template that matched, for logs and metrics (`/v1/contracts/{id}`).
    public internal(set) var routeTemplate: String?
    /// Correlation id: the caller's `X-Request-Id` when acceptable, otherwise generated.
    public var id: String = ""
    /// Values attached by middleware (the authenticated principal).
    public var attributes = RequestAttributes()

    public init(
        method: HTTPMethod,
        target: String,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        remoteAddress: String = "",
        keepAlive: Bool = true
    ) {
        received = Received(method: method, target: target, version: version, headers: headers, body: body,
                            remoteAddress: remoteAddress, keepAlive: keepAlive)
    }

    private final class Received: Sendable {
        let method: HTTPMethod
        let target: String
        let path: String
        let rawQuery: String?
        let version: HTTPVersion
        let headers: HTTPHeaders
        let body: [UInt8]
        let remoteAddress: String
        let keepAlive: Bool

        init(method: HTTPMethod, target: String, version: HTTPVersion, headers: HTTPHeaders, body: [UInt8],
             remoteAddress: String, keepAlive: Bool) {
            self.method = method
            self.target = target
            (path, rawQuery) = RequestTarget.split(target)
            self.version = version
            self.headers = headers
            self.body = body
            self.remoteAddress = remoteAddress
            self.keepAlive = keepAlive
        }
    }
}

enum RequestTarget {
    /// Splits an origin-form or absolute-form target into path and query and
    /// drops any fragment (clients should not send one; some do).
    static func split(_ target: String) -> (path: String, query: String?) {
        if let originForm = target.withUTF8Bytes({ originForm(target, $0) }) { return originForm }
        // The delimiters are ASCII, so they are looked for byte by byte: a
        // walk by Character (grapheme breaking) was 7 % of a member read.
        var rest = Substring(target)
        if let hash = rest.utf8.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<hash] }
        if rest.utf8.first != UInt8(ascii: "/"), let colon = rest.utf8.firstIndex(of: UInt8(ascii: ":")),
           rest[colon...].utf8.starts(with: "://".utf8) {
            // absolute-form: the path starts at the first "/" after the authority.
            let afterAuthority = rest[rest.utf8.index(colon, offsetBy: 3)...]
            let pathStart = afterAuthority.utf8.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? afterAuthority.endIndex
            rest = afterAuthority[pathStart...]
            if rest.utf8.first != UInt8(ascii: "/") { rest = "/" + rest }
        }
        if let mark = rest.utf8.firstIndex(of: UInt8(ascii: "?")) {
            return (String(rest[..<mark]), String(rest[rest.utf8.index(after: mark)...]))
        }
        return (String(rest), nil)
    }

    /// The common case, an origin-form target without a fragment, cut in its
    /// bytes (`target`'s own): walking the UTF-8 view of a substring was 2 %
    /// of a member read. Nil for any other form.
    private static func originForm(_ target: String, _ bytes: UnsafeBufferPointer<UInt8>) -> (path: String, query: String?)? {
        guard bytes.first == UInt8(ascii: "/") else { return nil }
        var mark: Int?
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "#"): return nil
            case UInt8(ascii: "?") where mark == nil: mark = index
            default: continue
            }
        }
        guard let mark else { return (target, nil) }
        return (String(decoding: UnsafeBufferPointer(rebasing: bytes[..<mark]), as: UTF8.self),
                String(decoding: UnsafeBufferPointer(rebasing: bytes[(mark + 1)...]), as: UTF8.self))
    }
}
