/// What the server asks of an application: resolve a request (cheaply, on
/// the event loop) to the function that answers it and where that may run.
public protocol HTTPResponder: Sendable {
    func resolve(_ request: HTTPRequest) -> ResolvedRequest

    /// The largest body the route for this head takes, asked as soon as the
    /// head has arrived so a larger body is refused (413) before it is read.
    /// Nil leaves the server-wide `ParserLimits.maxBodyBytes`.
    func maxBodyBytes(for head: RequestHead) -> Int?
}

extension HTTPResponder {
    public func maxBodyBytes(for head: RequestHead) -> Int? { nil }
}

public struct ResolvedRequest: Sendable {
    public let request: HTTPRequest
    public let placement: RoutePlacement
    let run: @Sendable (HTTPRequest) -> HTTPResponse

    public init(request: HTTPRequest, placement: RoutePlacement, run: @escaping @Sendable (HTTPRequest) -> HTTPResponse) {
        self.request = request
        self.placement = placement
        self.run = run
    }

    /// Runs the handler chain. Never throws: errors are already responses.
    public func respond() -> HTTPResponse { run(request) }
}
