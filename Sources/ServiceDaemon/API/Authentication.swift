import ServiceCore
import ServiceHTTP

/// `Authorization: Bearer <key>` on every /v1 route. Unknown, revoked or
/// missing keys get 401 with `WWW-Authenticate: Bearer`; the principal is
/// attached to the request for the handlers.
struct Authentication: Middleware {
    let database: DatabasePool
    let keys: AuthenticatedKeys

    func handle(_ request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
        guard let header = request.headers["Authorization"] else {
            throw Self.unauthorized("an API key is required: Authorization: Bearer <key>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, asciiCaseInsensitiveEquals(parts[0], "Bearer"), !parts[1].isEmpty else {
            throw Self.unauthorized("the Authorization header must be: Bearer <key>")
        }
        // A well-formed header with a token that is not one of ours is an
        // unknown key, whatever it looks like; only our keys reach the store.
        let key = String(parts[1])
        guard key.hasPrefix(APIKey.prefix),
              let principal = try keys.principal(for: key, lookUp: { try database.read { try APIKeyStore.authenticate($0, key: key) } }) else {
            throw Self.unauthorized("unknown or revoked API key")
        }
        var request = request
        request.attributes[Principal.self] = principal
        let caller = AccessLogCaller(keyID: principal.keyID, role: principal.role.rawValue)
        return try next(request).final { response in
            var response = response
            response.caller = caller
            return response
        }
    }

    static func unauthorized(_ detail: String) -> Problem {
        var headers = HTTPHeaders()
        headers.add("WWW-Authenticate", "Bearer")
        return Problem(.unauthorized, detail: detail, headers: headers)
    }
}
