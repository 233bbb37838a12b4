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
