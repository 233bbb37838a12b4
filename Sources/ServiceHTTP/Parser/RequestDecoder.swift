/// Turns a connection's byte stream into requests. Owns the input buffer so
/// that pipelined requests and partial reads are handled in one place, and
/// so the fuzzer drives exactly the code the server runs.
public struct RequestDecoder {
    public enum Event {
        /// A head whose body is still to come: the point to answer
        /// `100 Continue` or refuse early.
        case head(RequestHead)
        /// A whole message.
        case message(RequestHead, body: [UInt8])
    }

    public let limits: ParserLimits
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var scanner = HeadScanner()
    private var pending: RequestHead?
    private var body: [UInt8] = []
    private var remainingLength = 0
    /// The body limit of the message being read: the server's, or the lower
    /// one its route set through `limitBody(to:)`.
    private var bodyLimit = 0
    private var chunked: ChunkedDecoder?
    private var failure: HTTPParseError?

    public init(limits: ParserLimits = ParserLimits()) {
        self.limits = limits
    }

    /// Bytes received but not yet part of a returned event.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Whether the current message has started (a partial head or body).
    public var isMidMessage: Bool { pending != nil || bufferedByteCount > 0 }

    /// Whether a head has been returned whose body is still incomplete.
    public var isReadingBody: Bool { pending != nil }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > 64 * 1024 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes.bindMemory(to: UInt8.self))
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Lowers the body limit of the message whose head was just returned
    /// (its route takes less than the server does). An announced length over
    /// it is refused at once with 413, before any body byte is read; a chunked
    /// body is refused as soon as its chunks pass it. The decoder then stays
    /// failed, like after any framing error.
    public mutating func limitBody(to limit: Int) throws(HTTPParseError) {
        guard pending != nil, limit < bodyLimit else { return }
        bodyLimit = max(0, limit)
        if remainingLength + body.count > bodyLimit, chunked == nil {
            let error = HTTPParseError(.contentTooLarge, "body exceeds \(bodyLimit) bytes")
            failure = error
            throw error
        }
    }

    /// The next complete event, or nil when more bytes are needed. After an
    /// error the decoder stays failed: the stream cannot be resynchronised.
    public mutating func next() throws(HTTPParseError) -> Event? {
        if let failure { throw failure }
        do {
            return try decodeNext()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func decodeNext() throws(HTTPParseError) -> Event? {
        if let head = pending {
            return try continueBody(head)
        }
        let limits = self.limits
        let start = readIndex
        // Moved out, not copied, so its header array is never duplicated.
        var scanner = self.scanner
        self.scanner = HeadScanner()
        let scanOutcome: HeadScanner.Outcome = try buffer.withUnsafeBufferPointer { (all) throws(HTTPParseError) in
            try scanner.scan(UnsafeBufferPointer(rebasing: all[start...]), limits: limits)
        }
        guard case let .complete(head, headEnd) = scanOutcome else {
            self.scanner = scanner
            return nil
        }
        readIndex += headEnd
        switch head.framing {
        case .none:
            return .message(head, body: [])
        case .length(let length):
            remainingLength = length
        case .chunked:
            chunked = ChunkedDecoder()
        }
        body = []
        bodyLimit = limits.maxBodyBytes
        pending = head
        return .head(head)
    }

    private mutating func continueBody(_ head: RequestHead) throws(HTTPParseError) -> Event? {
        if var decoder = chunked {
            var limits = self.limits
            limits.maxBodyBytes = bodyLimit
            let start = readIndex
            var collected = body
            body = []
            let consumed = try buffer.withUnsafeBufferPointer { (all) throws(HTTPParseError) in
                try decoder.decode(UnsafeBufferPointer(rebasing: all[start...]), into: &collected, limits: limits)
            }
            body = collected
            readIndex += consumed
            chunked = decoder
            guard decoder.isDone else { return nil }
            chunked = nil
        } else {
            let take = min(remainingLength, bufferedByteCount)
            // The announced length is within the route's limit, so the body
            // gets exactly that capacity once, not a series of doublings that
            // overshoot it. Pages are only touched as bytes arrive, so a
            // client that announces much and sends little does not cost it.
            if body.isEmpty { body.reserveCapacity(remainingLength) }
            body.append(contentsOf: buffer[readIndex..<(readIndex + take)])
            readIndex += take
            remainingLength -= take
            guard remainingLength == 0 else { return nil }
        }
        pending = nil
        let complete = body
        body = []
        return .message(head, body: complete)
    }
}
