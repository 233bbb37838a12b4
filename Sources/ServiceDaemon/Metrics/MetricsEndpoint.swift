import Logging
import ServiceCore
import ServiceHTTP

/// `GET /metrics` on a listener of its own, on the loopback interface only:
/// never on the public listener, and not counted in the request metrics it
/// reports. A scrape reads the database (SLA breaches, the last billing run),
/// so it runs on the listener's worker.
struct MetricsEndpoint {
    let metrics: DaemonMetrics
    let server: HTTPServer
    let database: DatabasePool

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func server(_ configuration: DaemonConfiguration, logger: Logger) -> HTTPServer {
        var router = Router(middleware: [RequestIDMiddleware()])
        router.get("/metrics") { [metrics, server, database] _ in
            var headers = HTTPHeaders()
            headers.add("Content-Type", Self.contentType)
            return HTTPResponse(status: .ok, headers: headers, body: .bytes(try metrics.scrape(server: server, database: database)))
        }
        var settings = configuration.server
        settings.host = "127.0.0.1"
        settings.port = configuration.metricsPort ?? 0
        settings.eventLoopCount = 1
        settings.workerCount = 1
        settings.maxConnections = 16
        var logger = logger
        logger[metadataKey: "listener"] = "metrics"
        return HTTPServer(configuration: settings, responder: router.buildResponder(logger: logger), logger: logger)
    }
}
