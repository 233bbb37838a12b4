import Foundation
import Logging
import ServiceCore
import ServiceHTTP

/// Delivers the outbox to webhook endpoints on threads of its own, never
/// an event loop or a request worker: a scheduler finds endpoints with
/// work, and `concurrency` sender threads deliver, one endpoint per
/// thread at a time, in event order over one kept-alive connection.
/// At least once: an endpoint's position moves past an event only after a
/// 2xx, so an event committed but not acknowledged when the process died
/// is delivered after the restart.
final class WebhookSender: @unchecked Sendable {
    private let database: DatabasePool
    private let settings: WebhookSettings
    private let signal: CommitSignal
    private let logger: Logger
    /// Loaded at the first https delivery, not at start-up: reading the
    /// system's trust store takes tens of milliseconds that every start would wait for.
    private let tlsLock = NSLock()
    private var tls: OutboundTLS??
    private let lock = NSCondition()
    private var queue: [String] = []
    private var busy: Set<String> = []
    private var stopping = false
    private var running = 0
    /// Attempt results are kept by the database; this clock is only for
    /// scheduling retries (milliseconds since the epoch).
    private let now: @Sendable () -> Int

    init(database: DatabasePool, settings: WebhookSettings, signal: CommitSignal, logger: Logger,
         now: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970 * 1000) }) {
        self.database = database
        self.settings = settings
        self.signal = signal
        self.logger = logger
        self.now = now
    }

    /// The client TLS context, loaded once; nil (logged once) when the trust store cannot be read.
    private func tlsContext() -> OutboundTLS? {
        tlsLock.lock()
        defer { tlsLock.unlock() }
        if let loaded = tls { return loaded }
        do {
            tls = .some(try OutboundTLS(caFile: settings.caFile))
        } catch {
            logger.error("webhook TLS unavailable; https endpoints will fail", metadata: ["error": .string("\(error)")])
            tls = .some(nil)
        }
        return tls ?? nil
    }

    func start() {
        spawn("webhook-scheduler") { self.schedule() }
        for index in 0..<settings.concurrency { spawn("webhook-sender-\(index)") { self.send() } }
    }

    /// Stops taking work and waits for deliveries in flight (each bounded by the timeout).
    func stop() {
        lock.lock()
        stopping = true
        lock.broadcast()
        lock.unlock()
        signal.ring()
        lock.lock()
        while running > 0 { lock.wait() }
        lock.unlock()
    }

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        lock.lock()
        running += 1
        lock.unlock()
        let thread = Thread {
            body()
            self.lock.lock()
            self.running -= 1
            self.lock.broadcast()
            self.lock.unlock()
        }
        thread.name = name
        thread.start()
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func schedule() {
        var seen = signal.current
        while !isStopping {
            var wake = Date().addingTimeInterval(Double(settings.pollMilliseconds) / 1000)
            do {
                let (due, nextDue) = try database.read { try WebhookStore.due($0, nowMilliseconds: now()) }
                lock.lock()
                for endpoint in due where !busy.contains(endpoint.id) && !queue.contains(endpoint.id) { queue.append(endpoint.id) }
                lock.broadcast()
                lock.unlock()
                if let nextDue { wake = min(wake, Date(timeIntervalSince1970: Double(nextDue) / 1000)) }
            } catch {
                logger.error("webhook scheduling failed", metadata: ["error": .string("\(error)")])
            }
            seen = signal.wait(after: seen, until: wake)
        }
    }

    private func send() {
        while true {
            lock.lock()
            while queue.isEmpty && !stopping { lock.wait() }
            if stopping {
                lock.unlock()
                return
            }
            let id = queue.removeFirst()
            busy.insert(id)
            lock.unlock()
            do {
                try deliver(endpointID: id)
            } catch {
                logger.error("webhook delivery failed", metadata: ["endpoint_id": .string(id), "error": .string("\(error)")])
            }
            lock.lock()
            busy.remove(id)
            lock.unlock()
        }
    }

    /// Delivers the endpoint's pending events in order until one fails or none is left.
    private func deliver(endpointID: String) throws {
        var connection: OutboundConnection?
        while !isStopping {
            guard let (endpoint, secret) = try database.read({ connection -> (WebhookEndpoint, String)? in
                guard let endpoint = try WebhookStore.find(connection, id: endpointID, scope: nil), endpoint.state == .active,
                      endpoint.nextAttemptMilliseconds.map({ $0 <= now() }) ?? true,
                      let secret = try WebhookStore.secret(connection, id: endpointID) else { return nil }
                return (endpoint, secret)
            }) else { return }
            let events = try database.read { try EventStore.list($0, endpoint.pending, limit: 64) }
            guard !events.isEmpty else { return }
            for event in events {
                let (status, error, latency) = attempt(event, endpoint: endpoint, secret: secret, connection: &connection)
                let delivered = status.map { (200..<300).contains($0) } ?? false
                try database.write { db in
                    try WebhookStore.recordAttempt(db, endpointID: endpoint.id, event: event, attempt: endpoint.failedAttempts + 1,
                                                   delivered: delivered, statusCode: status, error: error, latencyMilliseconds: latency)
                    if delivered {
                        try WebhookStore.advance(db, endpointID: endpoint.id, through: event.sequence)
                    } else {
                        try failed(db, endpoint)
                    }
                }
                if !delivered {
                    signal.ring()  // the scheduler wakes for the retry's time, not its next poll
                    return
                }
            }
        }
    }

    private func failed(_ connection: Connection, _ endpoint: WebhookEndpoint) throws {
        let current = now()
        let failures = endpoint.failedAttempts + 1
        let first = endpoint.firstFailureMilliseconds ?? current
        switch settings.retry.next(failures: failures, firstFailure: first, now: current, jitter: Double.random(in: -1...1)) {
        case .retry(let at):
            try WebhookStore.holdBack(connection, endpointID: endpoint.id, failures: failures, firstFailure: first, nextAttempt: at)
        case .giveUp:
            try WebhookStore.markFailing(connection, endpointID: endpoint.id, failures: failures, firstFailure: first)
            logger.warning("webhook endpoint failing: retries ran out", metadata: ["endpoint_id": .string(endpoint.id)])
        }
    }

    /// One POST of the event, signed; the status or why there was none, and the latency.
    private func attempt(_ event: DomainEvent, endpoint: WebhookEndpoint, secret: String,
                         connection: inout OutboundConnection?) -> (Int?, String?, Int) {
        let started = DispatchTime.now().uptimeNanoseconds
        let deadline = started + UInt64(settings.timeoutMilliseconds) * 1_000_000
        func elapsed() -> Int { Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000) }
        let body = event.json.bytes
        let timestamp = Int(Date().timeIntervalSince1970)
        guard let signature = WebhookSignature.sign(id: event.id, timestamp: timestamp, body: body, secret: secret) else {
            return (nil, "the endpoint's secret is unreadable", 0)
        }
        do {
            let target = try settings.policy.parse(endpoint.url).get()
            if connection == nil || connection?.isReusable == false {
                connection = nil
                // Resolved and checked again at every connection: a name may point elsewhere since the endpoint was saved.
                let addresses = try settings.policy.addresses(of: target).get()
                connection = try OutboundConnection(target: target, address: addresses[0], tls: target.secure ? tlsContext() : nil,
                                                  deadline: deadline)
            }
            let response = try connection!.post(path: target.path, headers: [
                ("webhook-id", event.id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature),
            ], body: body, deadline: deadline)
            if !(200..<300).contains(response.status) { connection = nil }
            return (response.status, nil, elapsed())
        } catch {
            connection = nil
            return (nil, "\(error)", elapsed())
        }
    }
}
