/// Carries a streamed body from its producer (a worker thread) to the
/// connection (an event loop), with back-pressure: the producer blocks once
/// `highWater` bytes are queued but not yet written to the socket.
final class StreamChannel: ResponseBodyWriter, @unchecked Sendable {
    struct ClientGone: Error, CustomStringConvertible {
        var description: String { "the client closed the connection during a streamed response" }
    }

    private let lock = ConditionLock()
    private var outstanding = 0
    private var cancelled = false
    private let highWater = 256 * 1024
    private let loop: EventLoop
    private let connection: Connection

    init(loop: EventLoop, connection: Connection) {
        self.loop = loop
        self.connection = connection
    }

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        try lock.withLock {
            while outstanding >= highWater && !cancelled { lock.wait() }
            if cancelled { throw ClientGone() }
            outstanding += bytes.count
        }
        let connection = self.connection
        loop.post { connection.appendStreamChunk(bytes) }
    }

    /// Called by the producer's thread when it returns or throws.
    func finish(_ error: (any Error)?) {
        let connection = self.connection
        let failed = error != nil
        loop.post { connection.endStream(failed: failed) }
    }

    /// Called on the loop when written bytes have left for the socket.
    func acknowledge(_ count: Int) {
        lock.withLock {
            outstanding = max(0, outstanding - count)
            lock.broadcast()
        }
    }

    func cancel() {
        lock.withLock {
            cancelled = true
            lock.broadcast()
        }
    }
}
