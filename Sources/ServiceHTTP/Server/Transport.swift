#if canImport(Glibc)
import Glibc
#endif

/// The byte pipe under a connection. The connection's state machine only
/// sees these results, so the TLS transport (OpenSSL's SSL_read/SSL_write,
/// where WANT_READ/WANT_WRITE map to `.wouldBlock`) replaces the plain
/// socket without touching HTTP code.
enum TransportResult {
    case bytes(Int)
    case wouldBlock
    case closed
    case failed(Int32)
}

protocol ConnectionTransport: AnyObject {
    var fileDescriptor: Int32 { get }
    /// True until the pipe can carry the connection's bytes (a TLS handshake).
    var needsHandshake: Bool { get }
    /// Advances the handshake; `.bytes(0)` once it is complete.
    func handshake() -> TransportResult
    /// The last read would block until the socket is writable (TLS only).
    var readNeedsWritable: Bool { get }
    /// The last write would block until the socket is readable (TLS only).
    var writeNeedsReadable: Bool { get }
    /// A read that filled less than its buffer took everything there was, so
    /// the next bytes will raise a new readiness edge: true for a socket,
    /// not for TLS, whose library may hold decrypted bytes back.
    var shortReadDrains: Bool { get }
    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportResult
    func write(_ buffer: UnsafeRawBufferPointer) -> TransportResult
    /// Writes `first` and then `second` as one stream; `.bytes` counts from
    /// the start of `first`.
    func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> TransportResult
    /// Half-close: no more bytes from us, keep reading theirs.
    func shutdownOutput()
    func close()
}

extension ConnectionTransport {
    func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> TransportResult {
        writeInTurn(first, second)
    }

    /// One write after the other, for a transport with no gathered write
    /// (TLS records are built from one buffer at a time). A failure after
    /// `first` went out is reported by the next write.
    func writeInTurn(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> TransportResult {
        guard !first.isEmpty else { return write(second) }
        let result = write(first)
        guard case .bytes(let count) = result, count == first.count, !second.isEmpty else { return result }
        if case .bytes(let more) = write(second) { return .bytes(count + more) }
        return result
    }
}

final class SocketTransport: ConnectionTransport {
    let fileDescriptor: Int32
    private var isClosed = false

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    var needsHandshake: Bool { false }
    func handshake() -> TransportResult { .bytes(0) }
    var readNeedsWritable: Bool { false }
    var writeNeedsReadable: Bool { false }
    var shortReadDrains: Bool { true }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportResult {
        while true {
            let count = recv(fileDescriptor, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(errno)
            }
        }
    }

    func write(_ buffer: UnsafeRawBufferPointer) -> TransportResult {
        // MSG_NOSIGNAL: a peer that went away must not kill the process with SIGPIPE.
        sending { send(fileDescriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) }
    }

    /// A response's head and body in one `sendmsg`: no copy of the body
    /// behind its head, one system call.
    func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> TransportResult {
        var vectors = (
            iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count),
            iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count)
        )
        return withUnsafeMutableBytes(of: &vectors) { raw in
            var message = msghdr()
            message.msg_iov = raw.baseAddress!.assumingMemoryBound(to: iovec.self)
            message.msg_iovlen = 2
            return sending { sendmsg(fileDescriptor, &message, Int32(MSG_NOSIGNAL)) }
        }
    }

    /// A send's result, retried when a signal interrupted it.
    private func sending(_ send: () -> Int) -> TransportResult {
        while true {
            let count = send()
            if count >= 0 { return .bytes(count) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(errno)
            }
        }
    }

    func shutdownOutput() {
        _ = Glibc.shutdown(fileDescriptor, Int32(SHUT_WR))
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = Glibc.close(fileDescriptor)
    }
}
