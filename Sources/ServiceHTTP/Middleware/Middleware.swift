/// Code that runs around handlers: it may change the request, answer on its
/// own (authentication) or decorate the response (request id). Middleware
/// that is installed globally also runs for 404 and 405 answers on the event
/// loop, so it must not block; blocking middleware belongs on a route group.
public protocol Middleware: Sendable {
    func handle(_ request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse
}

extension Array where Element == any Middleware {
    /// Wraps a handler in the middleware, first element outermost. Done once
    /// per route when the router is built, not per request.
    func wrapping(_ handler: @escaping Handler) -> Handler {
        reversed().reduce(handler) { next, middleware in
            { request in try middleware.handle(request, next: next) }
        }
    }
}
