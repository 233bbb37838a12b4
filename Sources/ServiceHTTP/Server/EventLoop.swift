#if canImport(Glibc)
import Glibc
#endif
import CLinuxSystem
import Synchronization

/// One thread multiplexing many connections with epoll (edge-triggered for
/// connections). Other threads talk to it only through `post`, which queues
/// a closure and wakes the loop through an eventfd.
final class EventLoop: @unchecked Sendable {
    let index: Int
    private let context: ServerContext
    private let epollFD: Int32
    private let wakeFD: Int32
    private let listenFD: Int32
    private var connections: [Int32: Connection] = [:]
    private let inbox = Mutex<[@Sendable () -> Void]>([])
    private var listening = false
    private var acceptPausedUntil: UInt64 = 0
    private var nextSweep: UInt64 = 0
    private(set) var isDraining = false
    private var stopped = false

    /// Scratch space for reads; decoders copy out what they keep.
    var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    var dateCache = HTTPDateCache()

    private static let connectionEvents = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue

    init(index: Int, listenFD: Int32, context: ServerContext) throws {
        self.index = index
        self.listenFD = listenFD
        self.context = context
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SocketError("epoll_create1") }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            close(epollFD)
            throw SocketError("eventfd")
        }
        // Edge-triggered: every write to an eventfd wakes its pollers, so each
        // post is an event without the loop reading the counter back down (a
        // system call per wake-up). The counter only grows by one a wake-up;
        // it would take 2^64 of them to fill.
        try register(wakeFD, events: EPOLLIN.rawValue | EPOLLET.rawValue)
        try startListening()
    }

    deinit {
        close(wakeFD)
        close(epollFD)
    }

    private func register(_ fd: Int32, events: UInt32) throws {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else { throw SocketError("epoll_ctl add") }
    }

    private func startListening() throws {
        try register(listenFD, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
        listening = true
    }

    private func stopListening() {
        guard listening else { return }
        listening = false
        epoll_ctl(epollFD, EPOLL_CTL_DEL, listenFD, nil)
    }

    /// Thread-safe: runs `task` on this loop's thread.
    func post(_ task: @escaping @Sendable () -> Void) {
        let first = inbox.withLock { queued in
            queued.append(task)
            return queued.count == 1
        }
        // Only the first task since the loop last emptied the inbox wakes it:
        // the loop empties the whole inbox when woken, so it sees the later
        // ones too.
        guard first else { return }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    func run() {
        EventLoopThread.markCurrent()
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        nextSweep = MonotonicClock.nanoseconds() + context.sweepInterval
        while !stopped {
            let timeoutMs = Int32(context.sweepInterval / 1_000_000) + 1
            let count = epoll_wait(epollFD, events, Int32(capacity), timeoutMs)
            if count < 0 {
                if errno == EINTR { continue }
                context.logger.critical("epoll_wait failed", metadata: ["error": .string("\(SocketError("epoll_wait"))")])
                break
            }
            for i in 0..<Int(count) {
                let event = events[i]
                let fd = event.data.fd
                if fd == wakeFD {
                    runInbox()
                } else if fd == listenFD {
                    acceptConnections()
                } else if let connection = connections[fd] {
                    let closing = EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue
                    if event.events & (EPOLLIN.rawValue | closing) != 0 {
                        connection.onReadable(fresh: event.events & closing == 0)
                    }
                    if event.events & EPOLLOUT.rawValue != 0, connections[fd] === connection {
                        connection.onWritable()
                    }
                }
            }
            let now = MonotonicClock.nanoseconds()
            if now >= nextSweep {
                sweep(now: now)
                nextSweep = now + context.sweepInterval
            }
            if isDraining && connections.isEmpty { stopped = true }
        }
        for connection in Array(connections.values) { connection.close() }
    }

    private func runInbox() {
        let tasks = inbox.withLock { queued -> [@Sendable () -> Void] in
            let tasks = queued
            queued.removeAll(keepingCapacity: true)
            return tasks
        }
        for task in tasks { task() }
    }

    private func acceptConnections() {
        let loops = context.loops.withLock { $0 }
        // Bounded so accepting cannot starve this loop's own connections.
        for _ in 0..<64 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                accept4(listenFD, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            }
            if fd < 0 {
                switch errno {
                case EAGAIN, EWOULDBLOCK: return
                case EINTR, ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: the listener stays readable, so stop
                    // watching it for a moment instead of spinning.
                    context.logger.warning("accept failed, pausing", metadata: ["error": .string("\(SocketError("accept"))")])
                    stopListening()
                    acceptPausedUntil = MonotonicClock.nanoseconds() + 100_000_000
                    return
                default:
                    context.logger.error("accept failed", metadata: ["error": .string("\(SocketError("accept"))")])
                    return
                }
            }
            let open = context.connectionCount.add(1, ordering: .relaxed).newValue
            if open > context.configuration.maxConnections {
                context.connectionCount.subtract(1, ordering: .relaxed)
                refuse(fd)
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let remote = SocketAddress.describe(&storage)
            let turn = context.acceptSequence.add(1, ordering: .relaxed).newValue
            let target = loops.isEmpty ? self : loops[turn % loops.count]
            if target === self {
                adopt(fd, remoteAddress: remote)
            } else {
                target.post { target.adopt(fd, remoteAddress: remote) }
            }
        }
    }

    /// Takes an accepted socket into this loop.
    private func adopt(_ fd: Int32, remoteAddress: String) {
        let transport: any ConnectionTransport
        if let tls = context.tls {
            guard let secure = TLSTransport(fileDescriptor: fd, context: tls, remoteAddress: remoteAddress, logger: context.logger) else {
                context.logger.error("cannot create a TLS session", metadata: ["remote": .string(remoteAddress)])
                close(fd)
                context.connectionCount.subtract(1, ordering: .relaxed)
                return
            }
            transport = secure
        } else {
            transport = SocketTransport(fileDescriptor: fd)
        }
        let connection = Connection(
            transport: transport,
            remoteAddress: remoteAddress,
            loop: self,
            context: context
        )
        connections[fd] = connection
        do {
            try register(fd, events: Self.connectionEvents)
        } catch {
            connection.close()
            return
        }
        if isDraining { connection.beginDraining() }
    }

    /// Over the connection limit: say so (best effort, never blocking) and
    /// close. A TLS client could not read plain bytes, so it just sees the close.
    private func refuse(_ fd: Int32) {
        guard context.tls == nil else {
            close(fd)
            return
        }
        let problem = Problem(.serviceUnavailable, detail: "too many connections; retry later")
        var bytes: [UInt8] = []
        try? ResponseSerializer.writeHead(
            status: problem.status, headers: problem.response.headers, framing: .length(problem.jsonBody.count),
            keepAlive: false, requestVersion: .http1_1, date: dateCache.current(),
            serverName: context.configuration.serverName, into: &bytes
        )
        bytes.append(contentsOf: problem.jsonBody)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        close(fd)
    }

    func remove(_ connection: Connection) {
        connections.removeValue(forKey: connection.fileDescriptor)
    }

    private func sweep(now: UInt64) {
        if !listening && !isDraining && acceptPausedUntil != 0 && now >= acceptPausedUntil {
            acceptPausedUntil = 0
            try? startListening()
        }
        let shutdownDeadline = context.shutdownDeadline.load(ordering: .relaxed)
        let forceClose = isDraining && shutdownDeadline != 0 && now >= shutdownDeadline
        for connection in Array(connections.values) {
            if forceClose {
                connection.close()
            } else if connection.deadline != 0 && now >= connection.deadline {
                connection.deadlineExpired()
            }
        }
    }

    /// Stop accepting; close what is idle; let the rest finish.
    func beginDraining() {
        isDraining = true
        stopListening()
        for connection in Array(connections.values) { connection.beginDraining() }
    }
}
