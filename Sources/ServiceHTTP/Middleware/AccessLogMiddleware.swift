/// One access-log entry per request, handed to a sink after the response is
/// known. Typed fields rather than a swift-log metadata dictionary: this runs
/// for every request on an event loop, where a dictionary, its sorting and
/// generic formatting cost more than the request itself.
public struct AccessLogEntry: Sendable {
    public let requestID: String
    public let method: HTTPMethod
    public let path: String
    public let route: String?
    public let status: Int
    public let durationMicroseconds: UInt64
    public let bytesIn: Int
    /// Nil for streamed bodies, whose size is not known up front.
    public let bytesOut: Int?
    public let remoteAddress: String
}

/// Receives access-log entries. Must not block: it is called on event loops.
public protocol AccessLogSink: Sendable {
    func record(_ entry: AccessLogEntry)
}

public struct AccessLogMiddleware: Middleware {
    private let sink: any AccessLogSink

    public init(sink: any AccessLogSink) {
        self.sink = sink
    }

    public func handle(_ request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
        let started = MonotonicClock.nanoseconds()
        let response: HTTPResponse
        do {
            response = try next(request)
        } catch {
            record(request, status: 500, bytesOut: nil, started: started)
            throw error
        }
        let bytesOut: Int?
        if case .bytes(let body) = response.body { bytesOut = body.count } else { bytesOut = nil }
        record(request, status: response.status.code, bytesOut: bytesOut, started: started)
        return response
    }

    private func record(_ request: HTTPRequest, status: Int, bytesOut: Int?, started: UInt64) {
        sink.record(AccessLogEntry(
            requestID: request.id,
            method: request.method,
            path: request.path,
            route: request.routeTemplate,
            status: status,
            durationMicroseconds: (MonotonicClock.nanoseconds() - started) / 1_000,
            bytesIn: request.body.count,
            bytesOut: bytesOut,
            remoteAddress: request.remoteAddress
        ))
    }
}
