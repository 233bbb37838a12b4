import Glibc
import Logging
@testable import ServiceHTTP
import HTTPTestSupport

/// A real server on a free loopback port with short timeouts, and the
/// routes the tests need.
final class TestServer {
    let server: HTTPServer
    let port: Int

    let isTLS: Bool

    init(tls: TLSContext? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }, routerBodyLimit: Int? = nil,
         routes: (inout Router) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.eventLoopCount = 2
        configuration.workerCount = 4
        configuration.headerTimeout = .milliseconds(500)
        configuration.bodyTimeout = .milliseconds(500)
        configuration.idleTimeout = .milliseconds(800)
        configuration.shutdownGracePeriod = .seconds(5)
        configure(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var router = Router(middleware: [RequestIDMiddleware()], maxBodyBytes: routerBodyLimit)
        TestServer.standardRoutes(&router)
        routes(&router)
        server = HTTPServer(configuration: configuration, responder: router.buildResponder(logger: logger), logger: logger, tls: tls)
        isTLS = tls != nil
        try server.start()
        port = server.port!
    }

    static func standardRoutes(_ router: inout Router) {
        router.get("/healthz", placement: .eventLoop) { _ in .json(.ok, #"{"status":"ok"}"#) }
        router.post("/echo") { request in
            HTTPResponse(status: .ok, contentType: "application/octet-stream", body: request.body)
        }
        router.get("/sleep?ms") { request in
            let millis = Int(request.query["ms"] ?? "0") ?? 0
            usleep(UInt32(millis * 1000))
            return .json(.ok, #"{"slept":\#(millis)}"#)
        }
    }

    /// A client over TLS when the server speaks it.
    func client(timeout: Double = 5) throws -> RawClient {
        isTLS ? try TLSTestSession.connect(port: port, timeout: timeout) : try RawClient(port: port, timeout: timeout)
    }

    func stop() {
        server.shutdown()
        server.waitUntilStopped()
    }

    deinit { stop() }
}
