import Logging

/// One structured log line per request, written after the response is
/// known. The line is handed to the log handler, which must not block the
/// event loop (the daemon's handler buffers and writes from its own thread).
public struct AccessLogMiddleware: Middleware {
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func handle(_ request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
        let started = MonotonicClock.nanoseconds()
        let response: HTTPResponse
        do {
            response = try next(request)
        } catch {
            log(request, status: 500, bytesOut: nil, started: started)
            throw error
        }
        let bytesOut: Int?
        if case .bytes(let body) = response.body { bytesOut = body.count } else { bytesOut = nil }
        log(request, status: response.status.code, bytesOut: bytesOut, started: started)
        return response
    }

    private func log(_ request: HTTPRequest, status: Int, bytesOut: Int?, started: UInt64) {
        let micros = (MonotonicClock.nanoseconds() - started) / 1_000
        var metadata: Logger.Metadata = [
            "request_id": .string(request.id),
            "method": .string(request.method.rawValue),
            "path": .string(request.path),
            "status": .stringConvertible(status),
            "duration_us": .stringConvertible(micros),
            "bytes_in": .stringConvertible(request.body.count),
            "remote": .string(request.remoteAddress),
        ]
        if let route = request.routeTemplate { metadata["route"] = .string(route) }
        if let bytesOut { metadata["bytes_out"] = .stringConvertible(bytesOut) }
        logger.info("request", metadata: metadata)
    }
}
