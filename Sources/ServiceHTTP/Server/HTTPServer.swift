#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization

/// The HTTP/1.1 server: a listening socket, one event loop per core and a
/// worker pool for blocking handlers; over TLS when given a `TLSContext`
/// (whose `reload()` swaps the certificate while serving).
///
///     let server = HTTPServer(configuration: config, responder: router.buildResponder(logger: logger), logger: logger)
///     try server.start()
///     // ... on SIGTERM:
///     server.shutdown()
///     server.waitUntilStopped()
public final class HTTPServer: Sendable {
    private let context: ServerContext
    private let state = Mutex<State>(State())

    private struct State {
        var listener: Listener?
        var loops: [EventLoop] = []
        var threads: [OSThread] = []
        var trimmer: MemoryTrimmer?
        var stopped = false
    }

    public init(configuration: ServerConfiguration, responder: any HTTPResponder, logger: Logger, tls: TLSContext? = nil) {
        context = ServerContext(configuration: configuration, responder: responder, logger: logger, tls: tls)
    }

    /// The bound port (useful with port 0); nil before `start`.
    public var port: Int? { state.withLock { $0.listener?.port } }

    /// Connections open now, for a gauge read when metrics are collected.
    public var openConnections: Int { context.connectionCount.load(ordering: .relaxed) }

    /// The bound address as `ip:port`.
    public var address: String? { state.withLock { $0.listener?.address } }

    /// Binds and starts the event loops; returns once the server accepts.
    public func start() throws {
        try context.configuration.validate()
        let configuration = context.configuration
        let listener = try Listener.bind(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        var loops: [EventLoop] = []
        do {
            for index in 0..<configuration.eventLoopCount {
                loops.append(try EventLoop(index: index, listenFD: listener.fileDescriptor, context: context))
            }
        } catch {
            close(listener.fileDescriptor)
            throw error
        }
        context.loops.withLock { $0 = loops }
        let threads = loops.map { loop in OSThread(name: "event-loop-\(loop.index)") { loop.run() } }
        let context = self.context
        let trimmer = configuration.memoryTrimInterval.map {
            MemoryTrimmer(interval: $0) { context.requestCount.load(ordering: .relaxed) }
        }
        state.withLock {
            $0.listener = listener
            $0.loops = loops
            $0.threads = threads
            $0.trimmer = trimmer
        }
        context.logger.notice("listening", metadata: [
            "address": .string(listener.address),
            "event_loops": .stringConvertible(configuration.eventLoopCount),
            "workers": .stringConvertible(configuration.workerCount),
            "readers": .stringConvertible(configuration.readerCount),
            "tls": .stringConvertible(context.tls != nil),
        ])
    }

    /// Begins a graceful shutdown and returns at once: no new connections,
    /// idle ones closed, in-flight requests finish within the grace period.
    public func shutdown() {
        let loops = state.withLock { $0.loops }
        let grace = context.configuration.shutdownGracePeriod.nanoseconds
        context.shutdownDeadline.store(MonotonicClock.nanoseconds() + max(grace, 1), ordering: .relaxed)
        for loop in loops {
            loop.post { loop.beginDraining() }
        }
    }

    /// Blocks until every loop has finished, then releases the listener and
    /// the pools.
    public func waitUntilStopped() {
        let (threads, alreadyStopped) = state.withLock { ($0.threads, $0.stopped) }
        guard !alreadyStopped else { return }
        for thread in threads { thread.join() }
        let listener = state.withLock { state -> Listener? in
            state.stopped = true
            state.loops = []
            state.threads = []
            state.trimmer?.stop()
            state.trimmer = nil
            return state.listener
        }
        context.pool.shutdown()
        context.readers.shutdown()
        context.loops.withLock { $0 = [] }  // the loops referenced the context back
        if let listener { close(listener.fileDescriptor) }
        context.logger.info("stopped")
    }
}
