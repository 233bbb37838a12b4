import Logging

/// One client connection: reads bytes, decodes requests, runs one request at
/// a time (so pipelined responses leave in order), writes responses.
///
/// Confined to its event loop's thread. Worker threads only carry a
/// reference and hand results back through `EventLoop.post`, which is why
/// the unchecked Sendable is sound.
final class Connection: @unchecked Sendable {
    enum Phase {
        /// Waiting for or decoding a request.
        case reading
        /// A handler is running.
        case responding
        /// A streamed body is being produced on a worker.
        case streaming
        /// The last response is being written; then we stop.
        case closingAfterWrite
        /// Our side is shut; draining the peer's bytes until it closes.
        case lingering
        case closed
    }

    enum DeadlineReason { case none, handshake, header, body, idle, write, linger }

    unowned let loop: EventLoop
    let transport: any ConnectionTransport
    let remoteAddress: String
    private let context: ServerContext
    private var decoder: RequestDecoder
    private var output = OutputQueue()
    private(set) var phase = Phase.reading
    private(set) var deadline: UInt64 = 0
    private var deadlineReason = DeadlineReason.none
    private var requestHeadDeadline: UInt64 = 0
    private var sawEOF = false
    private var readPaused = false
    private var processing = false
    private var lingeredBytes = 0
    private var stream: StreamChannel?
    private var streamChunked = false
    private var streamKeepAlive = false
    private var unacknowledgedStreamBytes = 0
    /// A TLS handshake is under way; no HTTP bytes yet.
    private var handshaking: Bool
    /// The transport may need the other readiness event than the one a call
    /// waited on (TLS); plain sockets never look at it.
    private let crossesDirections: Bool

    /// While a request is being answered, reading stops once this much is
    /// buffered: pipelining is allowed, hoarding is not.
    private static let maxBufferedWhileBusy = 64 * 1024

    init(transport: any ConnectionTransport, remoteAddress: String, loop: EventLoop, context: ServerContext) {
        self.transport = transport
        self.remoteAddress = remoteAddress
        self.loop = loop
        self.context = context
        self.decoder = RequestDecoder(limits: context.configuration.limits)
        handshaking = transport.needsHandshake
        crossesDirections = handshaking
        if handshaking {
            arm(.handshake, at: MonotonicClock.nanoseconds() + context.handshakeTimeout)
        } else {
            startRequestClock(now: MonotonicClock.nanoseconds())
        }
    }

    var fileDescriptor: Int32 { transport.fileDescriptor }

    /// Draining a request body counts as in flight; a partial head does not.
    var hasRequestInFlight: Bool { phase != .reading || decoder.isReadingBody }

    // MARK: Reading

    /// `fresh`: called for a readiness event that reported only new bytes
    /// (no hang-up), so a short read may end the reading; see below.
    func onReadable(fresh: Bool = false) {
        if handshaking && !continueHandshake() { return }
        if crossesDirections && transport.writeNeedsReadable && phase != .closed && phase != .lingering { flush() }
        while !sawEOF {
            switch phase {
            case .closed:
                return
            case .lingering:
                discardInput()
                return
            case .reading:
                break
            case .responding, .streaming, .closingAfterWrite:
                if decoder.bufferedByteCount >= Self.maxBufferedWhileBusy {
                    readPaused = true
                    return
                }
            }
            let result = loop.readBuffer.withUnsafeMutableBytes { transport.read(into: $0) }
            switch result {
            case .bytes(let count):
                receive(count)
                // The read that would only say "no more" is a system call a
                // request saved: a short read drained the socket, and
                // edge-triggered epoll reports the next bytes or the peer's
                // close. Not after a hang-up already reported, nor when reading
                // resumes after a pause, whose edges were taken unread.
                if fresh && count < loop.readBuffer.count && transport.shortReadDrains { return }
            case .wouldBlock:
                return
            case .closed:
                sawEOF = true
                if phase == .reading { processInput() }
            case .failed:
                close()
                return
            }
        }
    }

    /// True once the handshake is done; the request clock starts then, so
    /// the header timeout means the same as on a plain connection.
    private func continueHandshake() -> Bool {
        switch transport.handshake() {
        case .bytes:
            handshaking = false
            startRequestClock(now: MonotonicClock.nanoseconds())
            return true
        case .wouldBlock:
            return false
        case .closed, .failed:
            close()
            return false
        }
    }

    private func receive(_ count: Int) {
        let wasIdle = !decoder.isMidMessage
        loop.readBuffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        guard phase == .reading else { return }
        let now = MonotonicClock.nanoseconds()
        if wasIdle && deadlineReason == .idle {
            startRequestClock(now: now)
        } else if decoder.isReadingBody {
            arm(.body, at: now + context.bodyTimeout)
        }
        processInput()
    }

    private func startRequestClock(now: UInt64) {
        requestHeadDeadline = now + context.headerTimeout
        arm(.header, at: requestHeadDeadline)
    }

    private func processInput() {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        while phase == .reading {
            let event: RequestDecoder.Event?
            do {
                event = try decoder.next()
            } catch {
                reject(error)
                break
            }
            guard let event else {
                if sawEOF {
                    // The peer is done sending; a partial request can never complete.
                    close()
                }
                break
            }
            switch event {
            case .head(let head):
                if let limit = context.responder.maxBodyBytes(for: head) {
                    do {
                        try decoder.limitBody(to: limit)
                    } catch {
                        reject(error)
                        break
                    }
                }
                // Only prompt for the body if the client is actually waiting for us.
                if head.expectsContinue && decoder.bufferedByteCount == 0 {
                    output.append(ResponseSerializer.continueResponse)
                }
                arm(.body, at: MonotonicClock.nanoseconds() + context.bodyTimeout)
            case .message(let head, let body):
                let request = HTTPRequest(
                    method: head.method,
                    target: head.target,
                    version: head.version,
                    headers: head.headers,
                    body: body,
                    remoteAddress: remoteAddress,
                    keepAlive: head.keepAlive
                )
                dispatch(request)
            }
        }
        if phase != .closed { flush() }
        if phase == .reading && readPaused {
            readPaused = false
            onReadable()
        }
    }

    private func dispatch(_ request: HTTPRequest) {
        context.requestCount.add(1, ordering: .relaxed)
        phase = .responding
        disarm()
        let resolved = context.responder.resolve(request)
        switch resolved.placement {
        case .eventLoop:
            complete(resolved.respond(), for: resolved.request)
        case .readerPool:
            submit(resolved, to: context.readers)
        case .workerPool:
            submit(resolved, to: context.pool)
        }
    }

    private func submit(_ resolved: ResolvedRequest, to pool: WorkerPool) {
        let loop = self.loop
        pool.submit {
            let response = resolved.respond()
            loop.post { self.complete(response, for: resolved.request) }
        }
    }

    // MARK: Responding

    func complete(_ response: HTTPResponse, for request: HTTPRequest) {
        guard phase == .responding else { return }  // closed while the handler ran
        let keepAlive = request.keepAlive && !sawEOF && !loop.isDraining
        let isHead = request.method == .HEAD
        do {
            switch response.body {
            case .bytes(let body):
                try writeHead(response, framing: .length(body.count), keepAlive: keepAlive, version: request.version)
                if !isHead { output.append(body: body) }
                finishResponse(keepAlive: keepAlive)
            case .deferred(let start):
                // Nothing to write yet: the connection waits, holding no thread.
                let loop = self.loop
                start { answer in loop.post { self.complete(answer, for: request) } }
            case .stream(let produce):
                let chunked = request.version == .http1_1
                let streamKeepAlive = keepAlive && chunked
                try writeHead(response, framing: chunked ? .chunked : .untilClose, keepAlive: streamKeepAlive, version: request.version)
                if isHead {
                    finishResponse(keepAlive: streamKeepAlive)
                } else {
                    startStream(produce, chunked: chunked, keepAlive: streamKeepAlive, requestID: request.id)
                }
            }
        } catch {
            context.logger.error("invalid response header", metadata: [
                "request_id": .string(request.id), "header": .string(error.name),
            ])
            let fallback = Problem(.internalServerError, detail: "internal error; see the server log for request \(request.id)")
            try? writeHead(fallback.response, framing: .length(fallback.jsonBody.count), keepAlive: false, version: request.version)
            if !isHead { output.append(body: fallback.jsonBody) }
            finishResponse(keepAlive: false)
        }
    }

    private func writeHead(_ response: HTTPResponse, framing: ResponseSerializer.Framing, keepAlive: Bool, version: HTTPVersion) throws(ResponseSerializer.InvalidHeader) {
        let date = loop.dateCache.current(), serverName = context.configuration.serverName
        try output.append { (bytes: inout [UInt8]) throws(ResponseSerializer.InvalidHeader) in
            try ResponseSerializer.writeHead(
                status: response.status,
                headers: response.headers,
                framing: framing,
                keepAlive: keepAlive,
                requestVersion: version,
                date: date,
                serverName: serverName,
                into: &bytes
            )
        }
    }

    private func finishResponse(keepAlive: Bool) {
        if keepAlive {
            phase = .reading
            if decoder.isMidMessage {
                startRequestClock(now: MonotonicClock.nanoseconds())
            } else {
                arm(.idle, at: MonotonicClock.nanoseconds() + context.idleTimeout)
            }
            if processing {
                return  // the decode loop that called us carries on and flushes
            }
            processInput()
        } else {
            phase = .closingAfterWrite
            flush()
        }
    }

    /// Answers a request the decoder refused, then closes: after a framing
    /// error nothing later on the connection can be trusted.
    private func reject(_ error: HTTPParseError) {
        context.logger.info("rejected request", metadata: [
            "remote": .string(remoteAddress),
            "status": .stringConvertible(error.status.code),
            "detail": .string(error.detail),
        ])
        sendFinal(Problem(error.status, detail: error.detail))
    }

    /// Writes a problem with `Connection: close` and starts closing.
    private func sendFinal(_ problem: Problem) {
        let body = problem.jsonBody
        try? writeHead(problem.response, framing: .length(body.count), keepAlive: false, version: .http1_1)
        output.append(body: body)
        phase = .closingAfterWrite
        if !processing { flush() }
    }

    // MARK: Streaming

    private func startStream(_ produce: @escaping @Sendable (ResponseBodyWriter) throws -> Void, chunked: Bool, keepAlive: Bool, requestID: String) {
        phase = .streaming
        streamChunked = chunked
        streamKeepAlive = keepAlive
        let channel = StreamChannel(loop: loop, connection: self)
        stream = channel
        flush()
        let logger = context.logger
        context.pool.submit {
            do {
                try produce(channel)
                channel.finish(nil)
            } catch {
                if !(error is StreamChannel.ClientGone) {
                    logger.error("stream producer failed", metadata: ["request_id": .string(requestID), "error": .string("\(error)")])
                }
                channel.finish(error)
            }
        }
    }

    func appendStreamChunk(_ bytes: [UInt8]) {
        guard phase == .streaming else { return }
        if streamChunked {
            output.append { ResponseSerializer.appendChunk(bytes, into: &$0) }
        } else {
            output.append(bytes)
        }
        unacknowledgedStreamBytes += bytes.count
        flush()
    }

    func endStream(failed: Bool) {
        guard phase == .streaming else { return }
        stream = nil
        if failed {
            // The status line is long gone; the only honest signal left is an
            // unterminated body.
            close()
            return
        }
        if streamChunked { output.append(ResponseSerializer.lastChunk) }
        phase = .responding
        finishResponse(keepAlive: streamKeepAlive)
    }

    // MARK: Writing

    func flush() {
        let now = MonotonicClock.nanoseconds()
        var progressed = false
        while !output.isEmpty {
            switch output.send(through: transport) {
            case .bytes:
                progressed = true
            case .wouldBlock:
                // The write clock measures a stalled reader, so progress restarts it.
                if progressed || deadlineReason != .write { arm(.write, at: now + context.writeTimeout) }
                return
            case .closed, .failed:
                close()
                return
            }
        }
        output.reset()
        if deadlineReason == .write { restoreReadDeadline(now: now) }
        switch phase {
        case .closingAfterWrite:
            beginLinger()
        case .streaming:
            if unacknowledgedStreamBytes > 0 {
                stream?.acknowledge(unacknowledgedStreamBytes)
                unacknowledgedStreamBytes = 0
            }
        default:
            break
        }
    }

    func onWritable() {
        if handshaking {
            if continueHandshake() { onReadable() }
            return
        }
        if crossesDirections && transport.readNeedsWritable { onReadable() }
        guard phase != .closed, phase != .lingering else { return }
        flush()
    }

    private func restoreReadDeadline(now: UInt64) {
        guard phase == .reading else {
            disarm()
            return
        }
        if decoder.isReadingBody {
            arm(.body, at: now + context.bodyTimeout)
        } else if decoder.isMidMessage {
            arm(.header, at: requestHeadDeadline)
        } else {
            arm(.idle, at: now + context.idleTimeout)
        }
    }

    // MARK: Closing

    private func beginLinger() {
        if sawEOF {
            close()
            return
        }
        transport.shutdownOutput()
        phase = .lingering
        arm(.linger, at: MonotonicClock.nanoseconds() + context.lingerTimeout)
        discardInput()
    }

    private func discardInput() {
        while phase == .lingering {
            let result = loop.readBuffer.withUnsafeMutableBytes { transport.read(into: $0) }
            switch result {
            case .bytes(let count):
                lingeredBytes += count
                if lingeredBytes > context.lingerByteLimit { close() }
            case .wouldBlock:
                return
            case .closed, .failed:
                close()
            }
        }
    }

    func close() {
        guard phase != .closed else { return }
        phase = .closed
        stream?.cancel()
        stream = nil
        disarm()
        loop.remove(self)
        transport.close()
        context.connectionCount.subtract(1, ordering: .relaxed)
    }

    /// Shutdown: idle connections go now, busy ones after their response; a
    /// response still being written (the client reads slowly) is finished first.
    func beginDraining() {
        guard !hasRequestInFlight else { return }
        if !output.isEmpty { phase = .closingAfterWrite } else { close() }
    }

    // MARK: Deadlines

    private func arm(_ reason: DeadlineReason, at instant: UInt64) {
        deadlineReason = reason
        deadline = instant
    }

    private func disarm() {
        deadlineReason = .none
        deadline = 0
    }

    func deadlineExpired() {
        switch deadlineReason {
        case .none:
            return
        case .header where decoder.isMidMessage, .body:
            disarm()
            sendFinal(Problem(.requestTimeout, detail: "the request was not received in time"))
        case .handshake, .header, .idle, .write, .linger:
            close()
        }
    }
}
