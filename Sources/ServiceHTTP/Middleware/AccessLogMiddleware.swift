/// One access-log entry per request, handed to a sink once the response is
/// complete. Typed fields rather than a swift-log metadata dictionary: this
/// runs for every request, where a dictionary, its sorting and generic
/// formatting cost more than the request itself.
public struct AccessLogEntry: Sendable {
    public let requestID: String
    public let method: HTTPMethod
    public let path: String
    public let route: String?
    public let status: Int
    /// Up to the last body byte handed to the connection, streams included.
    public let durationMicroseconds: UInt64
    public let bytesIn: Int
    /// Body bytes sent; for a stream, what the producer wrote (chunk framing
    /// excluded) up to its end or the client's disconnect.
    public let bytesOut: Int
    public let remoteAddress: String
    /// Who called, as the authentication layer recorded it; nil when the
    /// request never got that far (401, /healthz).
    public let keyID: String?
    public let role: String?
}

/// Receives access-log entries. Must not block: it is called on event loops
/// and workers.
public protocol AccessLogSink: Sendable {
    func record(_ entry: AccessLogEntry)
}

/// Who a response was made for, as the authentication layer saw the caller.
/// It travels out on the response (`HTTPResponse.caller`) because the access
/// log sits outside that layer and never sees the request it passes on.
public struct AccessLogCaller: Sendable, Equatable {
    public let keyID: String?
    public let role: String

    public init(keyID: String?, role: String) {
        self.keyID = keyID
        self.role = role
    }
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
            record(request, status: 500, bytesOut: 0, started: started, caller: nil)
            throw error
        }
        // A deferred response is logged when it is answered.
        return response.final { [self, request] answer in observe(request, answer, started: started) }
    }

    private func observe(_ request: HTTPRequest, _ response: HTTPResponse, started: UInt64) -> HTTPResponse {
        var response = response
        let caller = response.caller
        switch response.body {
        case .bytes(let body):
            record(request, status: response.status.code, bytesOut: body.count, started: started, caller: caller)
        case .deferred:
            break  // `final` hands over answers only
        case .stream(let produce):
            // The entry is written when the producer returns, so the log
            // shows what the client was actually sent and how long it took.
            let status = response.status.code
            response.body = .stream { [self, request] writer in
                let counting = CountingBodyWriter(writer)
                defer { record(request, status: status, bytesOut: counting.count, started: started, caller: caller) }
                try produce(counting)
            }
        }
        return response
    }

    private func record(_ request: HTTPRequest, status: Int, bytesOut: Int, started: UInt64, caller: AccessLogCaller?) {
        sink.record(AccessLogEntry(
            requestID: request.id,
            method: request.method,
            path: request.path,
            route: request.routeTemplate,
            status: status,
            durationMicroseconds: (MonotonicClock.nanoseconds() - started) / 1_000,
            bytesIn: request.body.count,
            bytesOut: bytesOut,
            remoteAddress: request.remoteAddress,
            keyID: caller?.keyID,
            role: caller?.role
        ))
    }
}

/// Counts what a stream producer writes; used from the producer's thread only.
private final class CountingBodyWriter: ResponseBodyWriter, @unchecked Sendable {
    private let wrapped: any ResponseBodyWriter
    private(set) var count = 0

    init(_ wrapped: any ResponseBodyWriter) {
        self.wrapped = wrapped
    }

    func write(_ bytes: [UInt8]) throws {
        try wrapped.write(bytes)
        count += bytes.count
    }
}
