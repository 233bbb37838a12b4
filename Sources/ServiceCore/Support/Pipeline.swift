import Foundation

/// Runs `produce` on a thread of its own and `consume` on the calling one,
/// with at most `capacity` items in between, so that reading and computing
/// overlap on two cores while memory stays bounded. Items arrive in order.
///
/// An error on either side stops both: the first error is thrown, and this
/// returns only after the producer has finished, so whatever it borrowed (a
/// database connection) is free again.
enum Pipeline {
    static func run<Item>(
        capacity: Int,
        produce: @escaping (_ send: (Item) throws -> Void) throws -> Void,
        consume: (Item) throws -> Void
    ) throws {
        let channel = Channel<Item>(capacity: capacity)
        // The producer's captures (a connection) are handed over, not
        // shared: the caller does not touch them until the producer finished.
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
        defer {
            channel.cancel()
            channel.waitUntilFinished()
        }
        while let item = try channel.receive() { try consume(item) }
    }

    /// A bounded FIFO between one producer and one consumer.
    private final class Channel<Item>: @unchecked Sendable {
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

        /// The next item; nil at the end; the producer's error, if it failed.
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
