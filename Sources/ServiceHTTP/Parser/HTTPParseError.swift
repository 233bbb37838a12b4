/// Why a request could not be accepted, with the status to answer before the
/// connection is closed. After a framing error the byte stream can no longer
/// be trusted, so every parse error ends the connection.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: HTTPStatus
    public let detail: String

    init(_ status: HTTPStatus, _ detail: String) {
        self.status = status
        self.detail = detail
    }

    static func bad(_ detail: String) -> HTTPParseError { HTTPParseError(.badRequest, detail) }

    public var description: String { "\(status.code): \(detail)" }
}
