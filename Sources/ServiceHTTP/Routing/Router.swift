import Logging

/// Collects routes, then builds an immutable `RouterResponder`. Templates are
/// paths whose `{name}` segments capture one decoded segment each, followed
/// by the query parameters the route accepts, if any:
///
///     router.get("/v1/contracts/{id}") { request in ... }
///     router.get("/v1/contracts?customer_id&limit&cursor") { request in ... }
///
/// A request naming any other query parameter is answered 422 before the
/// route runs, with every unknown name in `errors` (a caller who believes
/// it filtered must not get everything), and so is one naming a parameter
/// twice; a handler reading a parameter its template does not declare stops
/// on an assertion in debug builds, so the list cannot drift from the code.
///
/// Middleware passed to the router runs around every request, including 404
/// and 405 answers; middleware of a `RouteGroup` only around its routes.
public struct Router: RouteBuilding {
    struct Route {
        let method: HTTPMethod
        let segments: [TemplateSegment]
        let template: String
        let query: Set<String>
        let placement: RoutePlacement
        let maxBodyBytes: Int?
        let handler: Handler
    }

    private(set) var routes: [Route] = []
    private let middleware: [any Middleware]
    private let maxBodyBytes: Int?

    /// `maxBodyBytes` is the body limit of every route that does not set its
    /// own (and of paths no route matches); nil leaves the server's limit.
    public init(middleware: [any Middleware] = [], maxBodyBytes: Int? = nil) {
        self.middleware = middleware
        self.maxBodyBytes = maxBodyBytes
    }

    /// Registers a handler. Templates are checked now: a malformed template
    /// or a duplicate route is a programming error and stops the program at
    /// start-up, not at the first request.
    public mutating func add(
        _ method: HTTPMethod,
        _ template: String,
        placement: RoutePlacement = .workerPool,
        maxBodyBytes: Int? = nil,
        _ handler: @escaping Handler
    ) {
        let (path, query) = TemplateSegment.splitQuery(template)
        let segments = TemplateSegment.parse(path)
        precondition(
            !routes.contains { $0.method == method && $0.segments == segments },
            "duplicate route \(method) \(template)"
        )
        precondition(maxBodyBytes.map { $0 >= 0 } ?? true, "negative body limit for \(method) \(template)")
        routes.append(Route(method: method, segments: segments, template: path, query: query, placement: placement,
                            maxBodyBytes: maxBodyBytes, handler: handler))
    }

    /// Routes under a common prefix sharing middleware (authentication, say).
    public mutating func group(_ prefix: String, middleware: [any Middleware] = [], _ build: (inout RouteGroup) -> Void) {
        var group = RouteGroup(prefix: prefix, middleware: middleware)
        build(&group)
        for route in group.routes {
            add(route.method, route.template, placement: route.placement, maxBodyBytes: route.maxBodyBytes, route.handler)
        }
    }

    /// What is registered, method, template and where it runs, in
    /// registration order: for checks that the API's documentation names
    /// every route and no other, and that long reads stay off the readers.
    public var registeredRoutes: [(method: HTTPMethod, template: String, query: Set<String>, placement: RoutePlacement)] {
        routes.map { ($0.method, $0.template, $0.query, $0.placement) }
    }

    public func buildResponder(logger: Logger) -> RouterResponder {
        RouterResponder(routes: routes, middleware: middleware, maxBodyBytes: maxBodyBytes, logger: logger)
    }
}

/// Routes sharing a prefix and middleware; see `Router.group`.
public struct RouteGroup: RouteBuilding {
    let prefix: String
    let middleware: [any Middleware]
    var routes: [(method: HTTPMethod, template: String, placement: RoutePlacement, maxBodyBytes: Int?, handler: Handler)] = []

    public mutating func add(
        _ method: HTTPMethod,
        _ template: String,
        placement: RoutePlacement = .workerPool,
        maxBodyBytes: Int? = nil,
        _ handler: @escaping Handler
    ) {
        let full = template == "/" || template.hasPrefix("/?") ? prefix + template.dropFirst() : prefix + template
        let path = TemplateSegment.splitQuery(full).path
        // A Problem the handler throws becomes its response before the
        // group's middleware, as it does before the router's: middleware
        // (authentication naming the caller) sees an answer either way.
        let answering: Handler = { request in
            do {
                return try handler(request)
            } catch let problem as Problem {
                return problem.response
            }
        }
        routes.append((method, full, placement, maxBodyBytes, middleware.wrapping(answering, route: RouteKey(method: method, template: path))))
    }
}

/// The verb helpers shared by `Router` and `RouteGroup`.
/// `maxBodyBytes` overrides the router's body limit for one route: the few
/// routes that take large bodies say so, everything else stays small.
public protocol RouteBuilding {
    mutating func add(_ method: HTTPMethod, _ template: String, placement: RoutePlacement, maxBodyBytes: Int?, _ handler: @escaping Handler)
}

extension RouteBuilding {
    public mutating func get(_ template: String, placement: RoutePlacement = .readerPool, _ handler: @escaping Handler) {
        add(.GET, template, placement: placement, maxBodyBytes: nil, handler)
    }

    public mutating func post(_ template: String, placement: RoutePlacement = .workerPool, maxBodyBytes: Int? = nil, _ handler: @escaping Handler) {
        add(.POST, template, placement: placement, maxBodyBytes: maxBodyBytes, handler)
    }

    public mutating func put(_ template: String, placement: RoutePlacement = .workerPool, maxBodyBytes: Int? = nil, _ handler: @escaping Handler) {
        add(.PUT, template, placement: placement, maxBodyBytes: maxBodyBytes, handler)
    }

    public mutating func patch(_ template: String, placement: RoutePlacement = .workerPool, maxBodyBytes: Int? = nil, _ handler: @escaping Handler) {
        add(.PATCH, template, placement: placement, maxBodyBytes: maxBodyBytes, handler)
    }

    public mutating func delete(_ template: String, placement: RoutePlacement = .workerPool, _ handler: @escaping Handler) {
        add(.DELETE, template, placement: placement, maxBodyBytes: nil, handler)
    }
}

enum TemplateSegment: Equatable {
    case literal(String)
    case parameter(String)

    /// "/a/{id}?x&y" -> ("/a/{id}", ["x", "y"]).
    static func splitQuery(_ template: String) -> (path: String, query: Set<String>) {
        guard let mark = template.firstIndex(of: "?") else { return (template, []) }
        let names = template[template.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false).map(String.init)
        precondition(names.allSatisfy { !$0.isEmpty && !$0.contains("=") && !$0.contains("{") } && Set(names).count == names.count,
                     "bad query parameter list in route template \(template)")
        return (String(template[..<mark]), Set(names))
    }

    static func parse(_ template: String) -> [TemplateSegment] {
        precondition(template.hasPrefix("/"), "route template must start with '/': \(template)")
        if template == "/" { return [] }
        var names = Set<String>()
        return template.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { part in
            precondition(!part.isEmpty, "empty segment in route template \(template)")
            if part.hasPrefix("{") && part.hasSuffix("}") {
                let name = String(part.dropFirst().dropLast())
                precondition(!name.isEmpty && names.insert(name).inserted, "bad parameter in route template \(template)")
                return .parameter(name)
            }
            precondition(!part.contains("{") && !part.contains("}"), "bad segment in route template \(template)")
            return .literal(String(part))
        }
    }

    static func == (lhs: TemplateSegment, rhs: TemplateSegment) -> Bool {
        switch (lhs, rhs) {
        case (.literal(let a), .literal(let b)): return a == b
        case (.parameter, .parameter): return true  // "{id}" and "{serial}" clash
        default: return false
        }
    }
}
