/// The request line and field section, with the framing decisions the parser
/// took from them.
public struct RequestHead: Sendable {
    public let method: HTTPMethod
    public let target: String
    public let version: HTTPVersion
    public let headers: HTTPHeaders
    public let framing: BodyFraming
    /// False after `Connection: close`, or for HTTP/1.0 without keep-alive.
    public let keepAlive: Bool
    /// `Expect: 100-continue` on an HTTP/1.1 request with a body.
    public let expectsContinue: Bool
}

public enum BodyFraming: Sendable, Equatable {
    case none
    case length(Int)
    case chunked
}
