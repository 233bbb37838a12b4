import Foundation
import HTTPTestSupport
import Logging
import Testing
@testable import ServiceHTTP

@Suite struct RouterTests {
    struct Boom: Error {}

    static func responder(_ build: (inout Router) -> Void) -> RouterResponder {
        var router = Router(middleware: [RequestIDMiddleware()])
        build(&router)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return router.buildResponder(logger: logger)
    }

    static func call(_ responder: RouterResponder, _ method: HTTPMethod, _ target: String, headers: [(String, String)] = []) -> (HTTPResponse, ResolvedRequest) {
        let resolved = responder.resolve(HTTPRequest(method: method, target: target, headers: HTTPHeaders(headers)))
        return (resolved.respond(), resolved)
    }

    static func text(_ response: HTTPResponse) -> String {
        guard case .bytes(let bytes) = response.body else { return "<stream>" }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func parametersArePercentDecodedPerSegment() {
        let responder = Self.responder { router in
            router.get("/v1/devices/{serial}/readings/{n}") { request in
                let n = try request.parameters.require("n", as: Int.self)
                return .json(.ok, "\(try request.parameters.require("serial"))|\(n)")
            }
        }
        let (response, resolved) = Self.call(responder, .GET, "/v1/devices/AB%2F12%20x/readings/7")
        #expect(Self.text(response) == "AB/12 x|7")
        #expect(resolved.request.routeTemplate == "/v1/devices/{serial}/readings/{n}")
        let (bad, _) = Self.call(responder, .GET, "/v1/devices/AB/readings/seven")
        #expect(bad.status == .badRequest)
    }

    @Test func literalSegmentsWinOverParametersWithBacktracking() {
        let responder = Self.responder { router in
            router.get("/v1/devices/export") { _ in .json(.ok, "export") }
            router.get("/v1/devices/{serial}") { request in .json(.ok, "device \(request.parameters["serial"]!)") }
            router.get("/v1/devices/export/{format}") { request in .json(.ok, "format \(request.parameters["format"]!)") }
        }
        #expect(Self.text(Self.call(responder, .GET, "/v1/devices/export").0) == "export")
        #expect(Self.text(Self.call(responder, .GET, "/v1/devices/X1").0) == "device X1")
        #expect(Self.text(Self.call(responder, .GET, "/v1/devices/export/csv").0) == "format csv")
        #expect(Self.call(responder, .GET, "/v1/devices/X1/csv").0.status == .notFound)
        #expect(Self.call(responder, .GET, "/v1/devices/").0.status == .notFound)
    }

    @Test func queryParametersAreDecoded() {
        let responder = Self.responder { router in
            router.get("/q?a&c") { request in
                .json(.ok, "\(request.query["a"] ?? "-")|\(request.query["c"] ?? "-")")
            }
            router.get("/none") { _ in .json(.ok, "none") }
        }
        #expect(Self.text(Self.call(responder, .GET, "/q?a=x+y%21&c").0) == "x y!|")
        #expect(Self.text(Self.call(responder, .GET, "/q").0) == "-|-")
    }

    /// Routes declare the query parameters they take; any other name, or
    /// one given twice, is 422 naming each, before the handler runs.
    @Test func undeclaredOrRepeatedQueryParametersAre422() throws {
        let responder = Self.responder { router in
            router.get("/q?a&c") { _ in .json(.ok, "ran") }
            router.get("/none") { _ in .json(.ok, "ran") }
            router.group("/g") { group in group.get("/?x") { _ in .json(.ok, "ran") } }
        }
        func errors(_ target: String) throws -> [String] {
            let response = Self.call(responder, .GET, target).0
            #expect(response.status == .unprocessableContent, "\(target)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(Self.text(response).utf8)) as? [String: Any])
            #expect(json["type"] as? String == "/problems/validation")
            return (json["errors"] as? [[String: String]] ?? []).map { "\($0["field"]!): \($0["message"]!)" }
        }
        #expect(try errors("/q?a=1&customer_id=2&zz") == [
            "customer_id: is not a query parameter of this endpoint; it takes a, c", "zz: is not a query parameter of this endpoint; it takes a, c",
        ])
        #expect(try errors("/q?a=1&a=2") == ["a: is given more than once"])
        #expect(try errors("/none?x=1") == ["x: this endpoint takes no query parameters"])
        #expect(try errors("/g?y") == ["y: is not a query parameter of this endpoint; it takes x"])
        #expect(Self.text(Self.call(responder, .GET, "/g?x=1").0) == "ran")
    }

    @Test func notFoundAndMethodNotAllowedWithAllow() {
        let responder = Self.responder { router in
            router.get("/things") { _ in .json(.ok, "[]") }
            router.post("/things") { _ in .json(.created, "{}") }
        }
        let (missing, _) = Self.call(responder, .GET, "/others")
        #expect(missing.status == .notFound)
        #expect(missing.headers["Content-Type"] == "application/problem+json")
        let (wrong, _) = Self.call(responder, .DELETE, "/things")
        #expect(wrong.status == .methodNotAllowed)
        #expect(wrong.headers["Allow"] == "GET, HEAD, POST, OPTIONS")
        let (options, _) = Self.call(responder, .OPTIONS, "/things")
        #expect(options.status == .noContent)
        #expect(options.headers["Allow"] == "GET, HEAD, POST, OPTIONS")
        let (head, _) = Self.call(responder, .HEAD, "/things")
        #expect(head.status == .ok)
    }

    @Test func thrownErrorsBecomeProblems() {
        let responder = Self.responder { router in
            router.get("/boom") { _ in throw Boom() }
            router.get("/conflict") { _ in throw Problem(.conflict, detail: "already there") }
        }
        let (boom, _) = Self.call(responder, .GET, "/boom")
        #expect(boom.status == .internalServerError)
        #expect(boom.headers["Content-Type"] == "application/problem+json")
        #expect(boom.headers["X-Request-Id"] != nil)
        let (conflict, _) = Self.call(responder, .GET, "/conflict")
        #expect(conflict.status == .conflict)
        #expect(Self.text(conflict).contains(#""detail":"already there""#))
    }

    @Test func requestIDIsEchoedOrGenerated() {
        let responder = Self.responder { router in
            router.get("/id", placement: .eventLoop) { request in .json(.ok, request.id) }
        }
        let (given, _) = Self.call(responder, .GET, "/id", headers: [("X-Request-Id", "abc-123")])
        #expect(given.headers["X-Request-Id"] == "abc-123")
        #expect(Self.text(given) == "abc-123")
        let (hostile, _) = Self.call(responder, .GET, "/id", headers: [("X-Request-Id", "a b\"c")])
        #expect(hostile.headers["X-Request-Id"] != "a b\"c")
        let (first, _) = Self.call(responder, .GET, "/id")
        let (second, _) = Self.call(responder, .GET, "/id")
        #expect(first.headers["X-Request-Id"] != nil)
        #expect(first.headers["X-Request-Id"] != second.headers["X-Request-Id"])
    }

    @Test func groupMiddlewareOnlyWrapsItsRoutes() {
        struct Deny: Middleware {
            func handle(_ request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
                guard request.headers["Authorization"] == "yes" else { throw Problem(.unauthorized, detail: "no") }
                return try next(request)
            }
        }
        let responder = Self.responder { router in
            router.get("/open") { _ in .json(.ok, "open") }
            router.group("/v1", middleware: [Deny()]) { group in
                group.get("/secret") { _ in .json(.ok, "secret") }
            }
        }
        #expect(Self.call(responder, .GET, "/open").0.status == .ok)
        #expect(Self.call(responder, .GET, "/v1/secret").0.status == .unauthorized)
        #expect(Self.call(responder, .GET, "/v1/secret", headers: [("Authorization", "yes")]).0.status == .ok)
    }

    @Test func placementFollowsTheRoute() {
        let responder = Self.responder { router in
            router.get("/inline", placement: .eventLoop) { _ in .json(.ok, "") }
            router.get("/pooled") { _ in .json(.ok, "") }
            router.post("/pooled") { _ in .json(.ok, "") }
            router.get("/waits", placement: .workerPool) { _ in .json(.ok, "") }
        }
        #expect(Self.call(responder, .GET, "/inline").1.placement == .eventLoop)
        #expect(Self.call(responder, .GET, "/pooled").1.placement == .readerPool)
        #expect(Self.call(responder, .HEAD, "/pooled").1.placement == .readerPool)
        #expect(Self.call(responder, .POST, "/pooled").1.placement == .workerPool)
        #expect(Self.call(responder, .GET, "/waits").1.placement == .workerPool)
        #expect(Self.call(responder, .GET, "/missing").1.placement == .eventLoop)
    }
}

@Suite struct StreamingTests {
    static func streamingServer() throws -> TestServer {
        try TestServer { _ in } routes: { router in
            router.get("/export?rows") { request in
                let rows = Int(request.query["rows"] ?? "0") ?? 0
                var headers = HTTPHeaders()
                headers.add("Content-Type", "text/csv")
                return HTTPResponse(status: .ok, headers: headers, body: .stream { writer in
                    try writer.write(Array("n,square\n".utf8))
                    for n in 0..<rows { try writer.write(Array("\(n),\(n * n)\n".utf8)) }
                })
            }
            router.get("/broken-stream") { _ in
                HTTPResponse(status: .ok, body: .stream { writer in
                    try writer.write(Array("partial".utf8))
                    struct Failure: Error {}
                    throw Failure()
                })
            }
        }
    }

    @Test func streamedBodyIsChunkedAndComplete() throws {
        let server = try Self.streamingServer()
        let client = try server.client()
        let response = try client.request("GET", "/export?rows=20000")
        #expect(response.status == 200)
        #expect(response.header("Transfer-Encoding") == "chunked")
        #expect(response.header("Content-Length") == nil)
        let lines = response.text.split(separator: "\n")
        #expect(lines.count == 20001)
        #expect(lines.last == "19999,399960001")
        // The connection stays usable after a streamed response.
        #expect(try client.request("GET", "/healthz").status == 200)
    }

    @Test func streamToHTTP10IsCloseDelimited() throws {
        let server = try Self.streamingServer()
        let client = try server.client()
        try client.send("GET /export?rows=3 HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("Transfer-Encoding") == nil)
        #expect(response.text == "n,square\n0,0\n1,1\n2,4\n")
    }

    @Test func failingStreamIsCutOffNotTerminated() throws {
        let server = try Self.streamingServer()
        let client = try server.client()
        try client.send("GET /broken-stream HTTP/1.1\r\nHost: x\r\n\r\n")
        let raw = String(decoding: client.readToEnd(), as: UTF8.self)
        #expect(raw.contains("partial"))
        #expect(!raw.hasSuffix("0\r\n\r\n"))
    }
}

@Suite struct AccessLogTests {
    @Test func oneEntryPerRequestWithOutcome() {
        let recorder = RecordingAccessLog()
        var router = Router(middleware: [RequestIDMiddleware(), AccessLogMiddleware(sink: recorder)])
        router.post("/items/{id}") { request in .json(.created, request.body) }
        router.get("/fail") { _ in throw Problem(.conflict, detail: "no") }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let responder = router.buildResponder(logger: logger)
        _ = responder.resolve(HTTPRequest(method: .POST, target: "/items/7", body: Array("abc".utf8), remoteAddress: "127.0.0.1:5000")).respond()
        _ = responder.resolve(HTTPRequest(method: .GET, target: "/fail")).respond()
        _ = responder.resolve(HTTPRequest(method: .GET, target: "/missing")).respond()

        let entries = recorder.entries
        #expect(entries.count == 3)
        #expect(entries[0].method == .POST)
        #expect(entries[0].path == "/items/7")
        #expect(entries[0].route == "/items/{id}")
        #expect(entries[0].status == 201)
        #expect(entries[0].bytesIn == 3)
        #expect(entries[0].bytesOut == 3)
        #expect(entries[0].remoteAddress == "127.0.0.1:5000")
        #expect(!entries[0].requestID.isEmpty)
        #expect(entries[1].status == 409)
        #expect(entries[2].status == 404)
        #expect(entries[2].route == nil)
    }
}

extension AccessLogTests {
    /// Stands in for the connection: collects what a stream producer writes.
    final class CollectingWriter: ResponseBodyWriter, @unchecked Sendable {
        var bytes: [UInt8] = []
        func write(_ chunk: [UInt8]) throws { bytes += chunk }
    }

    /// A stream's entry is written when its producer ends, with the bytes it
    /// actually wrote, not when the handler returns the (still empty) body.
    @Test func aStreamIsLoggedAfterItsLastByteWithItsSize() throws {
        let recorder = RecordingAccessLog()
        var router = Router(middleware: [RequestIDMiddleware(), AccessLogMiddleware(sink: recorder)])
        router.get("/export") { _ in
            HTTPResponse(status: .ok, body: .stream { writer in
                try writer.write(Array("n,square\n".utf8))  // 9 bytes
                for n in 0..<100 { try writer.write(Array("\(n),\(n * n)\n".utf8)) }
            })
        }
        let responder = router.buildResponder(logger: Logger(label: "test"))
        let response = responder.resolve(HTTPRequest(method: .GET, target: "/export")).respond()
        #expect(recorder.entries.isEmpty)
        guard case .stream(let produce) = response.body else {
            Issue.record("not a stream")
            return
        }
        let writer = CollectingWriter()
        try produce(writer)
        let entries = recorder.entries
        #expect(entries.count == 1)
        #expect(entries.first?.status == 200)
        #expect(entries.first?.bytesOut == writer.bytes.count)
        #expect(writer.bytes.count > 9 + 100 * 4)
    }

    /// Inner layers name the caller; the access log outside them records it.
    @Test func theCallerNamedByAnInnerLayerIsLogged() {
        struct NamesCaller: Middleware {
            func handle(_ request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
                var response = try next(request)
                response.caller = AccessLogCaller(keyID: "key_1", role: "dealer")
                return response
            }
        }
        let recorder = RecordingAccessLog()
        var router = Router(middleware: [RequestIDMiddleware(), AccessLogMiddleware(sink: recorder), NamesCaller()])
        router.get("/x") { _ in .json(.ok, "{}") }
        let responder = router.buildResponder(logger: Logger(label: "test"))
        _ = responder.resolve(HTTPRequest(method: .GET, target: "/x")).respond()
        #expect(recorder.entries.first?.keyID == "key_1")
        #expect(recorder.entries.first?.role == "dealer")
    }
}

@Suite struct HandlerFailureLogTests {
    /// Captures log events so the test can see the 500's log line.
    final class CapturedLog: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [(Logger.Level, String, Logger.Metadata)] = []
        func append(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) {
            lock.withLock { events.append((level, message, metadata)) }
        }
        var all: [(Logger.Level, String, Logger.Metadata)] { lock.withLock { events } }
    }

    struct CapturingHandler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            log.append(event.level, event.message.description, event.metadata ?? [:])
        }
    }

    @Test func throwingHandlerIsLoggedWithItsRequestID() {
        struct DiskOnFire: Error {}
        let captured = CapturedLog()
        let logger = Logger(label: "test") { _ in CapturingHandler(log: captured) }
        var router = Router(middleware: [RequestIDMiddleware()])
        router.get("/boom") { _ in throw DiskOnFire() }
        let responder = router.buildResponder(logger: logger)
        let request = HTTPRequest(method: .GET, target: "/boom", headers: HTTPHeaders([("X-Request-Id", "req-42")]))
        let response = responder.resolve(request).respond()
        #expect(response.status == .internalServerError)
        let errors = captured.all.filter { $0.0 == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.1 == "handler failed")
        #expect(errors.first?.2["request_id"] == "req-42")
        #expect(errors.first?.2["error"]?.description.contains("DiskOnFire") == true)
    }
}
