import Logging
import Synchronization

/// State shared by all event loops of one server.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let responder: any HTTPResponder
    let logger: Logger
    /// Certificate and key when the server speaks TLS; nil for plain HTTP.
    let tls: TLSContext?
    /// Handlers that may wait, and stream producers.
    let pool: WorkerPool
    /// Handlers that compute and read: one thread per core.
    let readers: WorkerPool
    let connectionCount = Atomic<Int>(0)
    /// Requests dispatched so far: what tells the memory trimmer the server works.
    let requestCount = Atomic<Int>(0)
    /// Round-robin position for spreading accepted connections over loops.
    let acceptSequence = Atomic<Int>(0)
    /// The loops, set once at start; accepted connections are handed to
    /// them in turn so each carries an equal share, whichever loop happened
    /// to wake for the listener.
    let loops = Mutex<[EventLoop]>([])
    /// Nanoseconds on the monotonic clock after which draining connections
    /// are closed regardless; 0 while serving normally.
    let shutdownDeadline = Atomic<UInt64>(0)

    let headerTimeout: UInt64
    let bodyTimeout: UInt64
    let idleTimeout: UInt64
    let writeTimeout: UInt64
    let handshakeTimeout: UInt64
    /// After we stop writing, how long we keep reading (and discarding) so
    /// that our last response is not destroyed by a TCP reset.
    let lingerTimeout: UInt64 = 2_000_000_000
    let lingerByteLimit = 1 << 20
    /// How often each loop looks for expired deadlines.
    let sweepInterval: UInt64

    init(configuration: ServerConfiguration, responder: any HTTPResponder, logger: Logger, tls: TLSContext?) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.tls = tls
        self.pool = WorkerPool(name: "worker", threadCount: configuration.workerCount)
        self.readers = WorkerPool(name: "reader", threadCount: configuration.readerCount)
        headerTimeout = configuration.headerTimeout.nanoseconds
        bodyTimeout = configuration.bodyTimeout.nanoseconds
        idleTimeout = configuration.idleTimeout.nanoseconds
        writeTimeout = configuration.writeTimeout.nanoseconds
        handshakeTimeout = configuration.tlsHandshakeTimeout.nanoseconds
        var timeouts = [headerTimeout, bodyTimeout, idleTimeout, writeTimeout, lingerTimeout]
        if tls != nil { timeouts.append(handshakeTimeout) }
        let shortest = timeouts.min()!
        sweepInterval = min(max(shortest / 4, 5_000_000), 250_000_000)
    }
}
