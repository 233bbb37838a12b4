/// A fixed set of threads for handlers that may block. Its size bounds how
/// many blocking operations run at once; excess work queues here rather than
/// on the event loops.
final class WorkerPool: @unchecked Sendable {
    private let lock = ConditionLock()
    private var queue: [@Sendable () -> Void] = []
    private var head = 0
    private var stopping = false
    /// Threads blocked in `wait`: a job submitted while none is only queues.
    private var idle = 0
    private var threads: [OSThread] = []  // never joined; see shutdown()

    init(name: String = "worker", threadCount: Int) {
        precondition(threadCount > 0)
        for index in 0..<threadCount {
            // The threads keep the pool alive until they have drained it.
            threads.append(OSThread(name: "\(name)-\(index)") { self.work() })
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        let wake = lock.withLock {
            queue.append(job)
            return idle > 0
        }
        // Signalled after the unlock: a thread woken while the submitter
        // still held the mutex would block on it at once, a second switch.
        // A busy thread takes the job when it looks at the queue again.
        if wake { lock.signal() }
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
                idle += 1
                lock.wait()
                idle -= 1
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
