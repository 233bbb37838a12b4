#if canImport(Glibc)
import Glibc
#endif

/// The byte pipe under a connection. The connection's state machine only
/// sees these results, so a TLS transport (OpenSSL's SSL_read/SSL_write,
/// where WANT_READ/WANT_WRITE map to `.wouldBlock`) can replace the plain
/// socket without touching HTTP code.
enum TransportResult {
    case bytes(Int)
    case wouldBlock
    case closed
    case failed(Int32)
}

protocol ConnectionTransport: AnyObject {
    var fileDescriptor: Int32 { get }
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
