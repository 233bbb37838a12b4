import Logging

/// The built router: a trie over path segments, immutable and shared by all
/// event loops. Resolving a request is cheap and runs on the event loop; the
/// returned `ResolvedRequest` says where the handler must run.
public final class RouterResponder: HTTPResponder {
    private let root: TrieNode
    private let logger: Logger
    private let outer: [any Middleware]
    private let defaultMaxBodyBytes: Int?

    init(routes: [Router.Route], middleware: [any Middleware], maxBodyBytes: Int?, logger: Logger) {
        self.logger = logger
        self.outer = middleware
        defaultMaxBodyBytes = maxBodyBytes
        let builder = TrieBuilder()
        for route in routes {
            let endpoint = Endpoint(
                placement: route.placement,
                template: route.template,
                query: route.query,
                maxBodyBytes: route.maxBodyBytes,
                run: Self.compose(middleware, route.handler, route: RouteKey(method: route.method, template: route.template), logger: logger)
            )
            builder.insert(route.segments, method: route.method, endpoint: endpoint)
        }
        root = builder.freeze()
    }

    public func resolve(_ request: HTTPRequest) -> ResolvedRequest {
        var request = request
        guard let segments = Self.decodeSegments(request.path) else {
            return answer(request, Problem(.badRequest, detail: "request path is not validly percent-encoded UTF-8 (or encodes NUL)"))
        }
        var parameters = PathParameters()
        guard let node = root.match(segments[...], into: &parameters) else {
            return answer(request, Problem(.notFound, detail: "no resource at \(request.path)"))
        }
        let endpoint: Endpoint
        if let exact = node.endpoints[request.method] {
            endpoint = exact
        } else if request.method == .HEAD, let get = node.endpoints[.GET] {
            endpoint = get
        } else {
            let allow = node.allowHeader
            if request.method == .OPTIONS {
                var headers = HTTPHeaders()
                headers.add("Allow", allow)
                return answer(request, HTTPResponse(status: .noContent, headers: headers))
            }
            var headers = HTTPHeaders()
            headers.add("Allow", allow)
            return answer(request, Problem(.methodNotAllowed, detail: "\(request.method.rawValue) is not allowed here; allowed: \(allow)", headers: headers))
        }
        guard var query = QueryParameters(rawQuery: request.rawQuery) else {
            return answer(request, Problem(.badRequest, detail: "query string is not validly percent-encoded UTF-8 (or encodes NUL)"))
        }
        if let problem = query.accept(endpoint.query) { return answer(request, problem) }
        request.parameters = parameters
        request.query = query
        request.routeTemplate = endpoint.template
        return ResolvedRequest(request: request, placement: endpoint.placement, run: endpoint.run)
    }

    /// The matched route's own limit, else the router's. A path no route
    /// matches gets the router's too: its answer (404, 405) needs no body.
    public func maxBodyBytes(for head: RequestHead) -> Int? {
        let (path, _) = RequestTarget.split(head.target)
        var parameters = PathParameters()
        guard let segments = Self.decodeSegments(path), let node = root.match(segments[...], into: &parameters),
              let endpoint = node.endpoints[head.method] else { return defaultMaxBodyBytes }
        return endpoint.maxBodyBytes ?? defaultMaxBodyBytes
    }

    /// Answers without a route, still through the outer middleware so the
    /// answer carries a request id and is logged.
    private func answer(_ request: HTTPRequest, _ problem: Problem) -> ResolvedRequest {
        answer(request, problem.response)
    }

    private func answer(_ request: HTTPRequest, _ response: HTTPResponse) -> ResolvedRequest {
        let run = Self.compose(outer, { _ in response }, route: RouteKey(method: request.method, template: nil), logger: logger)
        return ResolvedRequest(request: request, placement: .eventLoop, run: run)
    }

    /// Outer middleware around an error boundary around the handler: the
    /// boundary turns a thrown `Problem` into its response and anything else
    /// into a logged 500, so middleware (the access log) sees a response.
    static func compose(
        _ middleware: [any Middleware], _ handler: @escaping Handler, route: RouteKey, logger: Logger
    ) -> @Sendable (HTTPRequest) -> HTTPResponse {
        let guarded: Handler = { request in
            do {
                return try handler(request)
            } catch let problem as Problem {
                return problem.response
            } catch {
                logger.error("handler failed", metadata: [
                    "request_id": .string(request.id),
                    "method": .string(request.method.rawValue),
                    "path": .string(request.path),
                    "error": .string(String(describing: error)),
                ])
                return Problem(.internalServerError, detail: "internal error; see the server log for request \(request.id)").response
            }
        }
        let wrapped = middleware.wrapping(guarded, route: route)
        return { request in
            do {
                return try wrapped(request)
            } catch let problem as Problem {
                return problem.response
            } catch {
                logger.error("middleware failed", metadata: ["error": .string(String(describing: error))])
                return Problem(.internalServerError, detail: "internal error").response
            }
        }
    }

    static func decodeSegments(_ path: String) -> [String]? {
        // Cut by bytes, and only a segment with a "%" goes through the
        // decoder: every request's path comes here (the generic walk was
        // 3 % of a member read).
        var path = path
        return path.withUTF8 { bytes -> [String]? in
            guard bytes.first == UInt8(ascii: "/") else { return nil }
            if bytes.count == 1 { return [] }
            var segments: [String] = []
            // Most routes are four or five segments deep: one allocation, not three.
            segments.reserveCapacity(8)
            var start = 1
            for index in 1...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "/") {
                let segment = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                if bytes[start..<index].contains(UInt8(ascii: "%")) {
                    guard let decoded = PercentDecoding.decode(segment) else { return nil }
                    segments.append(decoded)
                } else {
                    segments.append(segment)
                }
                start = index + 1
            }
            return segments
        }
    }
}

struct Endpoint: Sendable {
    let placement: RoutePlacement
    let template: String
    /// The query parameters the route accepts.
    let query: Set<String>
    let maxBodyBytes: Int?
    let run: @Sendable (HTTPRequest) -> HTTPResponse
}

/// Immutable trie node. Literal children win over the parameter child, with
/// backtracking, so `/v1/devices/export` and `/v1/devices/{serial}` coexist.
final class TrieNode: Sendable {
    let literals: [String: TrieNode]
    let parameter: (name: String, node: TrieNode)?
    let endpoints: [HTTPMethod: Endpoint]
    let allowHeader: String

    init(literals: [String: TrieNode], parameter: (name: String, node: TrieNode)?, endpoints: [HTTPMethod: Endpoint]) {
        self.literals = literals
        self.parameter = parameter
        self.endpoints = endpoints
        var methods = Set(endpoints.keys)
        if methods.contains(.GET) { methods.insert(.HEAD) }
        methods.insert(.OPTIONS)
        allowHeader = HTTPMethod.allCases.filter(methods.contains).map(\.rawValue).joined(separator: ", ")
    }

    func match(_ segments: ArraySlice<String>, into parameters: inout PathParameters) -> TrieNode? {
        guard let first = segments.first else { return endpoints.isEmpty ? nil : self }
        let rest = segments.dropFirst()
        if let literal = literals[first], let found = literal.match(rest, into: &parameters) {
            return found
        }
        if let (name, node) = parameter, !first.isEmpty {
            var attempt = parameters
            attempt.append(name, first)
            if let found = node.match(rest, into: &attempt) {
                parameters = attempt
                return found
            }
        }
        return nil
    }
}

/// Mutable form of the trie while routes are added.
private final class TrieBuilder {
    var literals: [String: TrieBuilder] = [:]
    var parameter: (name: String, node: TrieBuilder)?
    var endpoints: [HTTPMethod: Endpoint] = [:]

    func insert(_ segments: [TemplateSegment], method: HTTPMethod, endpoint: Endpoint) {
        var node = self
        for segment in segments {
            switch segment {
            case .literal(let text):
                if let next = node.literals[text] {
                    node = next
                } else {
                    let next = TrieBuilder()
                    node.literals[text] = next
                    node = next
                }
            case .parameter(let name):
                if let existing = node.parameter {
                    precondition(existing.name == name, "parameter {\(name)} clashes with {\(existing.name)} at the same position")
                    node = existing.node
                } else {
                    let next = TrieBuilder()
                    node.parameter = (name, next)
                    node = next
                }
            }
        }
        node.endpoints[method] = endpoint
    }

    func freeze() -> TrieNode {
        TrieNode(
            literals: literals.mapValues { $0.freeze() },
            parameter: parameter.map { ($0.name, $0.node.freeze()) },
            endpoints: endpoints
        )
    }
}
