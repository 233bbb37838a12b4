import Foundation

/// Collects log lines and writes them to stderr from a background thread,
/// so that logging a request costs an append under a lock, never a write
/// system call on an event loop.
final class LogWriter: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [UInt8] = []
    /// The buffer being written, swapped with `pending` at each flush: two
    /// buffers reused, instead of a copy of `pending` allocated every time.
    private var writing: [UInt8] = []
    private var flushing = false
    private let fileDescriptor: Int32
    private static let flushThreshold = 64 * 1024
    private static let maxPending = 8 * 1024 * 1024

    init(fileDescriptor: Int32 = 2) {
        self.fileDescriptor = fileDescriptor
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "log-writer"
        thread.start()
    }

    func write(_ line: String) {
        condition.lock()
        // Under a log storm, drop rather than grow without bound.
        if pending.count < Self.maxPending {
            pending.append(contentsOf: line.utf8)
            pending.append(0x0A)
        }
        if pending.count >= Self.flushThreshold { condition.signal() }
        condition.unlock()
    }

    /// Writes everything pending before returning (at exit).
    func flush() {
        condition.lock()
        while flushing { condition.wait() }
        let bytes = pending
        pending.removeAll()
        condition.unlock()
        writeAll(bytes)
    }

    private func run() {
        while true {
            condition.lock()
            if pending.isEmpty { _ = condition.wait(until: Date(timeIntervalSinceNow: 0.02)) }
            swap(&pending, &writing)
            flushing = true
            condition.unlock()
            writeAll(writing)
            // A storm's worth of capacity is not kept for ever.
            if writing.capacity > 1 << 20 { writing = [] } else { writing.removeAll(keepingCapacity: true) }
            condition.lock()
            flushing = false
            condition.broadcast()
            condition.unlock()
        }
    }

    private func writeAll(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(fileDescriptor, $0.baseAddress, $0.count) }
            if written <= 0 {
                if errno == EINTR { continue }
                return  // stderr gone: nothing sensible left to do with logs
            }
            offset += written
        }
    }
}
