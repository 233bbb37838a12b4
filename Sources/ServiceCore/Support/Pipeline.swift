import Foundation

/// A producer on a thread of its own, pulled from the calling thread with at
/// most `capacity` items in between, so that two scans (or a scan and the
/// work on its results) overlap on two cores while memory stays bounded.
/// Items arrive in order.
///
/// An error on either side stops both: `next()` throws the producer's error,
/// and `close()` (call it in a `defer`) stops the producer and returns only
/// once it has finished, so whatever it borrowed (a database connection) is
/// free again.
final class Pipeline<Item> {
    private let channel: Channel

    init(capacity: Int, produce: @escaping (_ send: (Item) throws -> Void) throws -> Void) {
        let channel = Channel(capacity: capacity)
        self.channel = channel
        // The producer's captures (a connection) are handed over, not shared:
        // the caller does not touch them until the producer has finished.
        let work = UncheckedSendable(produce)
        let thread = Thread {
            do {
                try work.value { item in
                    guard channel.send(item) else { throw CancellationError() }
                }
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
        thread.name = "pipeline"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The next item; nil at the end; the producer's error, if it failed.
    func next() throws -> Item? { try channel.receive() }

    /// Stops the producer, if it is still at work, and waits for it.
    /// Closing again does nothing.
    func close() {
        channel.cancel()
        channel.waitUntilFinished()
    }

    /// A pipeline dropped without `close()` must not leave its producer
    /// blocked on a full buffer for ever.
    deinit { close() }

    /// A bounded FIFO between one producer and one consumer.
    private final class Channel: @unchecked Sendable {
        private let condition = NSCondition()
        private let capacity: Int
        private var items: [Item] = []
        private var head = 0
        private var finished = false
        private var failure: (any Error)?
        private var cancelled = false

        init(capacity: Int) { self.capacity = capacity }

        /// Blocks while full; false once the consumer has gone.
        func send(_ item: Item) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while items.count - head >= capacity && !cancelled { condition.wait() }
            guard !cancelled else { return false }
            if head > capacity {
                items.removeFirst(head)
                head = 0
            }
            items.append(item)
            condition.broadcast()
            return true
        }

        func finish(_ error: (any Error)?) {
            condition.lock()
            finished = true
            failure = error
            condition.broadcast()
            condition.unlock()
        }

        func receive() throws -> Item? {
            condition.lock()
            defer { condition.unlock() }
            while head == items.count && !finished { condition.wait() }
            if head < items.count {
                let item = items[head]
                head += 1
                condition.broadcast()
                return item
            }
            if let failure { throw failure }
            return nil
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }

        func waitUntilFinished() {
            condition.lock()
            while !finished { condition.wait() }
            condition.unlock()
        }
    }
}

/// A value moved to another thread under a hand-over protocol the compiler
/// cannot see; each use says why it is safe.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
