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
    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportResult
    func write(_ buffer: UnsafeRawBufferPointer) -> TransportResult
    /// Half-close: no more bytes from us, keep reading theirs.
    func shutdownOutput()
    func close()
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
        while true {
            // MSG_NOSIGNAL: a peer that went away must not kill the process with SIGPIPE.
            let count = send(fileDescriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
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
