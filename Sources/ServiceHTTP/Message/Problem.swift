import ServiceJSON
/// An RFC 9457 problem document: the body of every 4xx and 5xx response.
public struct Problem: Sendable, Error {
    public var status: HTTPStatus
    public var type: String
    public var title: String
    public var detail: String
    /// Extension members (for example `errors` listing invalid fields),
    /// already encoded as JSON values.
    public var extensions: [(String, JSONValue)]
    /// Extra response headers (`Allow` on 405, `WWW-Authenticate` on 401).
    public var headers: HTTPHeaders

    public init(
        _ status: HTTPStatus,
        detail: String,
        type: String = "about:blank",
        title: String? = nil,
        extensions: [(String, JSONValue)] = [],
        headers: HTTPHeaders = HTTPHeaders()
    ) {
        self.status = status
        self.type = type
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.extensions = extensions
        self.headers = headers
    }

    public var jsonBody: [UInt8] {
        var members: [(String, JSONValue)] = [
            ("type", .string(type)),
            ("title", .string(title)),
            ("status", .int(status.code)),
            ("detail", .string(detail)),
        ]
        members.append(contentsOf: extensions)
        return Array(JSONValue.object(members).encoded().utf8)
    }

    public var response: HTTPResponse {
        var headers = self.headers
        headers.set("Content-Type", "application/problem+json")
        return HTTPResponse(status: status, headers: headers, body: .bytes(jsonBody))
    }
}
