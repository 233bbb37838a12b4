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
        // The scheme, one space, the token (the parser trimmed the value). Cut
        // at the space found in the bytes: `split` made an array of substrings.
        let bytes = header.utf8
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")), asciiCaseInsensitiveEquals(header[..<space], "Bearer"),
              bytes.index(after: space) != bytes.endIndex else {
            throw Self.unauthorized("the Authorization header must be: Bearer <key>")
        }
        // A well-formed header with a token that is not one of ours is an
        // unknown key, whatever it looks like; only our keys reach the store.
        let key = String(header[bytes.index(after: space)...])
        guard key.hasPrefix(APIKey.prefix),
              let principal = try keys.principal(for: key, lookUp: { try database.handlerRead { try APIKeyStore.authenticate($0, key: key) } }) else {
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
