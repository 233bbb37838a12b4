/// A fixed set of threads for handlers that may block. Its size bounds how
/// many blocking operations run at once; excess work queues here rather than
/// on the event loops.
final class WorkerPool: @unchecked Sendable {
    private let lock = ConditionLock()
    private var queue: [@Sendable () -> Void] = []
    private var head = 0
    private var stopping = false
    private var threads: [OSThread] = []  // never joined; see shutdown()

    init(threadCount: Int) {
        precondition(threadCount > 0)
        for index in 0..<threadCount {
            // The threads keep the pool alive until they have drained it.
            threads.append(OSThread(name: "worker-\(index)") { self.work() })
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        lock.withLock {
            queue.append(job)
            lock.signal()
        }
    }

    /// Lets the threads finish what is queued and exit. Does not wait: a
    /// handler stuck past the shutdown grace period must not keep the
    /// process alive; its connection is already closed.
    func shutdown() {
        lock.withLock {
            stopping = true
            lock.broadcast()
        }
    }

    private func work() {
        while let job = take() { job() }
    }

    private static let taken: @Sendable () -> Void = {}

    private func take() -> (@Sendable () -> Void)? {
        lock.withLock {
            while head == queue.count {
                if stopping { return nil }
                lock.wait()
            }
            // The slot lets go of the job at once: under steady load the queue
            // never runs empty, and jobs kept until it did held every request
            // (body included) answered meanwhile: hundreds of MB in minutes.
            let job = queue[head]
            queue[head] = Self.taken
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1_024, head * 2 >= queue.count {
                // Nor does the array grow for ever with taken slots in front.
                queue.removeFirst(head)
                head = 0
            }
            return job
        }
    }
}
