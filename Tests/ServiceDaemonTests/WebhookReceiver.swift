import Foundation
import Logging
import ServiceHTTP

/// A webhook receiver on a loopback port, built on the daemon's own HTTP
/// server: it records every POST (headers, body, arrival) and answers the
/// next status of its script (200 once the script is used up), or holds
/// the request while `holding` is set.
final class WebhookReceiver: @unchecked Sendable {
    struct Received {
        let headers: [String: String]
        let body: [UInt8]
        let at: Date
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    }

    private let lock = NSCondition()
    private var received: [Received] = []
    private var script: [Int]
    private var holding = false
    private let server: HTTPServer
    let port: Int

    init(script: [Int] = [], port: Int = 0) throws {
        self.script = script
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = port
        configuration.eventLoopCount = 1
        configuration.workerCount = 2
        configuration.shutdownGracePeriod = .milliseconds(100)
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        var router = Router()
        let box = Box()
        router.post("/hook") { request in box.receiver!.take(request) }
        server = HTTPServer(configuration: configuration, responder: router.buildResponder(logger: logger), logger: logger)
        try server.start()
        self.port = server.port!
        box.receiver = self
    }

    private final class Box: @unchecked Sendable { weak var receiver: WebhookReceiver? }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    private func take(_ request: HTTPRequest) -> HTTPResponse {
        var headers: [String: String] = [:]
        for (name, value) in request.headers { headers[name.lowercased()] = value }
        lock.lock()
        received.append(Received(headers: headers, body: request.body, at: Date()))
        lock.broadcast()
        while holding { lock.wait() }
        let status = script.isEmpty ? 200 : script.removeFirst()
        lock.unlock()
        return HTTPResponse(status: HTTPStatus(code: status), contentType: "text/plain", body: Array("ok".utf8))
    }

    func hold(_ on: Bool) {
        lock.lock()
        holding = on
        lock.broadcast()
        lock.unlock()
    }

    var all: [Received] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Waits until `count` requests have arrived (or `timeout`); returns them all.
    @discardableResult
    func wait(for count: Int, timeout: TimeInterval = 20) -> [Received] {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while received.count < count && Date() < deadline { _ = lock.wait(until: deadline) }
        return received
    }

    func stop() {
        hold(false)
        server.shutdown()
        server.waitUntilStopped()
    }

    deinit { stop() }
}
