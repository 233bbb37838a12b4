/// A response as handlers build it. The server adds framing (`Content-Length`
/// or chunked), `Date`, `Server` and `Connection`.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: Body
    /// Set by the authentication layer on its way out, for the access log;
    /// never sent.
    public var caller: AccessLogCaller?

    public enum Body: Sendable {
        case bytes([UInt8])
        /// Produced on a worker thread and sent with chunked coding, for
        /// exports too large to build in memory. The producer may block: the
        /// writer applies back-pressure when the client reads slowly.
        case stream(@Sendable (ResponseBodyWriter) throws -> Void)
        /// Answered later, with no thread waiting meanwhile (a long poll):
        /// `start` is called once, on the thread that returned the response,
        /// with a completion to call once, from any thread, with the
        /// response the client gets. The connection sits idle until then.
        case deferred(@Sendable (_ complete: @escaping @Sendable (HTTPResponse) -> Void) -> Void)
    }

    /// This response with `transform` applied to what the client gets: at
    /// once, or when a deferred response is answered. Middleware that looks
    /// at or changes the response on its way out goes through this.
    public func final(_ transform: @escaping @Sendable (HTTPResponse) -> HTTPResponse) -> HTTPResponse {
        guard case .deferred(let start) = body else { return transform(self) }
        var wrapped = self
        wrapped.body = .deferred { complete in start { answer in complete(answer.final(transform)) } }
        return wrapped
    }

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: HTTPStatus = .ok, contentType: String, body: [UInt8]) {
        var headers = HTTPHeaders()
        headers.add("Content-Type", contentType)
        self.init(status: status, headers: headers, body: .bytes(body))
    }

    /// A JSON body that the caller has already encoded.
    public static func json(_ status: HTTPStatus = .ok, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json", body: body)
    }

    public static func json(_ status: HTTPStatus = .ok, _ body: String) -> HTTPResponse {
        json(status, Array(body.utf8))
    }
}

/// What a streaming producer writes into. Blocking by design: producers run
/// on the worker pool, never on an event loop.
public protocol ResponseBodyWriter: Sendable {
    /// Sends one chunk; returns when the connection has room for more.
    /// Throws when the client has gone, so the producer can stop early.
    func write(_ bytes: [UInt8]) throws
}
