/// The bytes a connection has yet to send, in order: what the serializers
/// wrote (status lines, headers, chunk frames) and at most one response
/// body held as the handler built it. A page of contracts or service
/// requests is tens of kilobytes; appending it behind its head copied it
/// once more on the event loop only to send it, where head and body now go
/// out in one gathered write.
struct OutputQueue: ~Copyable {
    /// Bytes written in place, sent from `sentOfWritten`.
    private var written: [UInt8] = []
    private var sentOfWritten = 0
    /// A body queued after all of `written`, sent from `sentOfBody`.
    private var body: [UInt8] = []
    private var sentOfBody = 0

    /// Bodies smaller than this are copied behind their head: one buffer is
    /// one plain send, and the copy is cheaper than the second vector.
    static let smallBody = 2_048

    var isEmpty: Bool { sentOfWritten == written.count && sentOfBody == body.count }

    /// Appends through `write`, which gets the buffer to append to: for the
    /// serializers that write into an array.
    mutating func append<R, E: Error>(_ write: (inout [UInt8]) throws(E) -> R) throws(E) -> R {
        moveBodyIntoWritten()
        return try write(&written)
    }

    mutating func append(_ bytes: [UInt8]) {
        moveBodyIntoWritten()
        written.append(contentsOf: bytes)
    }

    /// Queues a response body after everything before it, kept as it is when
    /// it is large and nothing else is queued behind a body already.
    mutating func append(body bytes: [UInt8]) {
        guard bytes.count >= Self.smallBody, sentOfBody == body.count else {
            append(bytes)
            return
        }
        body = bytes
        sentOfBody = 0
    }

    /// Sends what `transport` takes now; see `TransportResult`.
    mutating func send(through transport: any ConnectionTransport) -> TransportResult {
        let result: TransportResult = written.withUnsafeBytes { head in
            let head = UnsafeRawBufferPointer(rebasing: head[sentOfWritten...])
            guard sentOfBody < body.count else { return transport.write(head) }
            return body.withUnsafeBytes { transport.write(head, UnsafeRawBufferPointer(rebasing: $0[sentOfBody...])) }
        }
        if case .bytes(let count) = result { advance(by: count) }
        return result
    }

    /// Forgets what was sent, keeping the written buffer's room unless a
    /// large response grew it.
    mutating func reset() {
        if written.capacity > 1 << 20 { written = [] } else { written.removeAll(keepingCapacity: true) }
        sentOfWritten = 0
        body = []
        sentOfBody = 0
    }

    private mutating func advance(by count: Int) {
        let fromWritten = min(count, written.count - sentOfWritten)
        sentOfWritten += fromWritten
        sentOfBody += count - fromWritten
    }

    /// Bytes appended after a queued body must follow it: the rest of the body
    /// moves into the written buffer first.
    private mutating func moveBodyIntoWritten() {
        guard sentOfBody < body.count else { return }
        written.append(contentsOf: body[sentOfBody...])
        body = []
        sentOfBody = 0
    }
}
