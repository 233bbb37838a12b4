/// Code that runs around handlers: it may change the request, answer on its
/// own (authentication) or decorate the response (request id). Middleware
/// that is installed globally also runs for 404 and 405 answers on the event
/// loop, so it must not block; blocking middleware belongs on a route group.
public protocol Middleware: Sendable {
    func handle(_ request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse

    /// The middleware to run around one route, asked once when the router is
    /// built (and for each request no route answers): state kept per route,
    /// such as metrics series, is found then rather than on every request.
    func specialized(for route: RouteKey) -> any Middleware
}

extension Middleware {
    public func specialized(for route: RouteKey) -> any Middleware { self }
}

/// A route as middleware sees it: the method and the template it was
/// registered with; no template for requests that matched none (404, 405).
public struct RouteKey: Sendable, Hashable {
    public let method: HTTPMethod
    public let template: String?

    public init(method: HTTPMethod, template: String?) {
        self.method = method
        self.template = template
    }
}

extension Array where Element == any Middleware {
    /// Wraps a handler in the middleware, first element outermost. Done once
    /// per route when the router is built, not per request.
    func wrapping(_ handler: @escaping Handler, route: RouteKey) -> Handler {
        reversed().reduce(handler) { next, middleware in
            let specialized = middleware.specialized(for: route)
            return { request in try specialized.handle(request, next: next) }
        }
    }
}
