#if canImport(Glibc)
import Glibc
#endif
import COpenSSL
import Logging

/// A connection's bytes through an OpenSSL session on the non-blocking
/// socket. WANT_READ and WANT_WRITE become `.wouldBlock`; when OpenSSL needs
/// the other direction than the one asked (a read that must write, say a
/// TLS 1.3 key update answer), the flags below tell the connection to retry
/// on the other readiness event.
final class TLSTransport: ConnectionTransport {
    let fileDescriptor: Int32
    private let session: OpaquePointer
    private let remoteAddress: String
    private let logger: Logger
    private var isEstablished = false
    /// After a fatal error OpenSSL forbids further calls, close_notify included.
    private var isBroken = false
    private var sentCloseNotify = false
    private var isClosed = false
    private(set) var readNeedsWritable = false
    private(set) var writeNeedsReadable = false

    init?(fileDescriptor: Int32, context: TLSContext, remoteAddress: String, logger: Logger) {
        guard let session = context.makeSession() else { return nil }
        guard SSL_set_fd(session, fileDescriptor) == 1 else {
            SSL_free(session)
            return nil
        }
        SSL_set_accept_state(session)
        self.fileDescriptor = fileDescriptor
        self.session = session
        self.remoteAddress = remoteAddress
        self.logger = logger
    }

    deinit { SSL_free(session) }

    var needsHandshake: Bool { !isEstablished }
    var shortReadDrains: Bool { false }

    func handshake() -> TransportResult {
        OpenSSLErrorQueue.clear()
        let status = SSL_do_handshake(session)
        if status == 1 {
            isEstablished = true
            return .bytes(0)
        }
        let result = outcome(of: status)
        if let protocolFailure {
            // Scanners and old clients end here; info, like a refused request.
            logger.info("TLS handshake failed", metadata: [
                "remote": .string(remoteAddress), "error": .string(protocolFailure),
            ])
        }
        return result
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportResult {
        let (result, crossed) = transfer(otherDirection: SSL_ERROR_WANT_WRITE) {
            SSL_read(session, buffer.baseAddress, Int32(clamping: buffer.count))
        }
        readNeedsWritable = crossed
        return result
    }

    func write(_ buffer: UnsafeRawBufferPointer) -> TransportResult {
        let (result, crossed) = transfer(otherDirection: SSL_ERROR_WANT_READ) {
            SSL_write(session, buffer.baseAddress, Int32(clamping: buffer.count))
        }
        writeNeedsReadable = crossed
        return result
    }

    /// One SSL_read or SSL_write; `crossed` when it would block on the other
    /// readiness event than its own.
    private func transfer(otherDirection: Int32, _ call: () -> Int32) -> (result: TransportResult, crossed: Bool) {
        OpenSSLErrorQueue.clear()
        let count = call()
        if count > 0 { return (.bytes(Int(count)), false) }
        let result = outcome(of: count)
        return (result, lastWant == otherDirection)
    }

    /// close_notify, then the socket's write side, as the plain transport.
    func shutdownOutput() {
        sendCloseNotify()
        _ = Glibc.shutdown(fileDescriptor, Int32(SHUT_WR))
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        sendCloseNotify()
        _ = Glibc.close(fileDescriptor)
    }

    /// Best effort and never blocking: a client that is not reading does not get it.
    private func sendCloseNotify() {
        guard isEstablished, !isBroken, !sentCloseNotify else { return }
        sentCloseNotify = true
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(session)
        OpenSSLErrorQueue.clear()
    }

    /// The direction OpenSSL waited for on the last call that would block (0 otherwise).
    private var lastWant: Int32 = 0
    /// OpenSSL's reasons when the last call failed on the protocol (not the socket).
    private var protocolFailure: String?

    private func outcome(of status: Int32) -> TransportResult {
        let error = SSL_get_error(session, status)
        lastWant = 0
        protocolFailure = nil
        switch error {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            lastWant = error
            return .wouldBlock
        case SSL_ERROR_ZERO_RETURN:
            return .closed  // the peer's close_notify
        case SSL_ERROR_SYSCALL:
            isBroken = true
            let code = errno
            // EOF without close_notify: as a plain socket's end of stream.
            return status == 0 || code == 0 ? .closed : .failed(code)
        default:
            isBroken = true
            protocolFailure = OpenSSLErrorQueue.drain()
            return .failed(EPROTO)
        }
    }
}
