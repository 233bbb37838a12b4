#if canImport(Glibc)
import Glibc
#endif
import COpenSSL
import Synchronization

/// The server's certificate and key as an OpenSSL context, replaceable while
/// serving: `reload()` builds a new context from the same files and swaps it
/// in. Connections already open keep the context they started with (each
/// session holds a reference), so a reload never drops one.
///
/// Offered: TLS 1.2 and 1.3 only, forward-secret AEAD suites for 1.2,
/// ALPN `http/1.1` (a client offering only other protocols is refused with
/// `no_application_protocol`), no renegotiation.
public final class TLSContext: Sendable {
    public let certificatePath: String
    public let keyPath: String
    private let current: Mutex<Loaded>

    /// What the operator sees in the log after a load or reload.
    public struct Certificate: Sendable, Equatable {
        public let subject: String
        /// `notAfter` as RFC 3339 UTC.
        public let notAfter: String
        public let isExpired: Bool
    }

    /// Reads and checks both files; throws with a one-line message naming
    /// the file at fault.
    public init(certificatePath: String, keyPath: String) throws(TLSError) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        current = Mutex(try Self.load(certificatePath: certificatePath, keyPath: keyPath))
        // OpenSSL writes through write(2), not send(MSG_NOSIGNAL): a client
        // that vanishes mid-response would otherwise kill the process.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        SSL_CTX_free(current.withLock { $0.context })
    }

    public var certificate: Certificate { current.withLock { $0.certificate } }

    /// Reads the files again. On success new connections use the new
    /// certificate; on failure nothing changes and the error says why.
    @discardableResult
    public func reload() throws(TLSError) -> Certificate {
        let loaded = try Self.load(certificatePath: certificatePath, keyPath: keyPath)
        let previous = current.withLock { state in
            let previous = state
            state = loaded
            return previous
        }
        SSL_CTX_free(previous.context)  // sessions still using it hold their own reference
        return loaded.certificate
    }

    /// A server session for one accepted connection; nil if OpenSSL is out of memory.
    func makeSession() -> OpaquePointer? {
        current.withLock { Session(pointer: SSL_new($0.context)) }.pointer
    }

    // MARK: Loading

    private struct Loaded: @unchecked Sendable {
        let context: OpaquePointer
        let certificate: Certificate
    }

    private struct Session: @unchecked Sendable {
        let pointer: OpaquePointer?
    }

    private static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    private static func load(certificatePath: String, keyPath: String) throws(TLSError) -> Loaded {
        let certificateName = "TLS certificate \(certificatePath)"
        let keyName = "TLS key \(keyPath)"
        try requireReadableFile(certificatePath, name: certificateName)
        try requireReadableFile(keyPath, name: keyName)
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw TLSError("cannot create an OpenSSL context: \(OpenSSLErrorQueue.drain())")
        }
        var succeeded = false
        defer { if !succeeded { SSL_CTX_free(context) } }

        // A passphrase-protected key would make OpenSSL prompt on the
        // terminal; a daemon must refuse it instead.
        SSL_CTX_set_default_passwd_cb(context) { _, _, _, _ in 0 }
        guard SSL_CTX_use_certificate_chain_file(context, certificatePath) == 1 else {
            throw TLSError("\(certificateName): not a PEM certificate (\(OpenSSLErrorQueue.drain()))")
        }
        let key = try readPrivateKey(keyPath, name: keyName)
        defer { EVP_PKEY_free(key) }
        guard SSL_CTX_use_PrivateKey(context, key) == 1, SSL_CTX_check_private_key(context) == 1 else {
            OpenSSLErrorQueue.clear()
            throw TLSError("\(keyName): does not match the certificate in \(certificatePath)")
        }

        guard shim_SSL_CTX_set_min_proto_version(context, shim_TLS1_2_VERSION) == 1,
              shim_SSL_CTX_set_max_proto_version(context, shim_TLS1_3_VERSION) == 1,
              SSL_CTX_set_cipher_list(context, tls12Ciphers) == 1
        else {
            throw TLSError("OpenSSL refused the protocol settings: \(OpenSSLErrorQueue.drain())")
        }
        SSL_CTX_set_options(context, shim_SSL_OP_NO_RENEGOTIATION | shim_SSL_OP_CIPHER_SERVER_PREFERENCE | shim_SSL_OP_NO_COMPRESSION)
        // Partial writes and a moving buffer: the connection retries a
        // blocked write from its output array, which may have grown (and
        // moved) in between.
        _ = shim_SSL_CTX_set_mode(context, shim_SSL_MODE_ENABLE_PARTIAL_WRITE | shim_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER)
        // One recv per readiness event instead of a 5-byte record header and
        // then its body; the connection reads until WANT_READ, so nothing
        // buffered inside OpenSSL is left behind under edge-triggered epoll.
        shim_SSL_CTX_set_read_ahead(context, 1)
        SSL_CTX_set_alpn_select_cb(context, selectHTTP11, nil)

        let certificate = describe(SSL_CTX_get0_certificate(context))
        succeeded = true
        return Loaded(context: context, certificate: certificate)
    }

    /// Checked before OpenSSL sees the path, whose own messages do not say
    /// "no such file" or "permission denied".
    private static func requireReadableFile(_ path: String, name: String) throws(TLSError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw TLSError("\(name): cannot be read (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw TLSError("\(name): not a regular file")
        }
    }

    private static func readPrivateKey(_ path: String, name: String) throws(TLSError) -> OpaquePointer {
        guard let file = BIO_new_file(path, "r") else {
            throw TLSError("\(name): cannot be read (\(OpenSSLErrorQueue.drain()))")
        }
        defer { BIO_free(file) }
        guard let key = PEM_read_bio_PrivateKey(file, nil, { _, _, _, _ in 0 }, nil) else {
            throw TLSError("\(name): not an unencrypted PEM private key (\(OpenSSLErrorQueue.drain()))")
        }
        return key
    }

    private static func describe(_ certificate: OpaquePointer?) -> Certificate {
        guard let certificate else { return Certificate(subject: "", notAfter: "", isExpired: true) }
        var name = [CChar](repeating: 0, count: 512)
        X509_NAME_oneline(X509_get_subject_name(certificate), &name, Int32(name.count))
        let notAfter = X509_get0_notAfter(certificate)
        var time = tm()
        var instant = ""
        if ASN1_TIME_to_tm(notAfter, &time) == 1 {
            func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
            instant = "\(time.tm_year + 1900)-\(two(time.tm_mon + 1))-\(two(time.tm_mday))T"
                + "\(two(time.tm_hour)):\(two(time.tm_min)):\(two(time.tm_sec))Z"
        }
        return Certificate(
            subject: String(cString: name),
            notAfter: instant,
            isExpired: X509_cmp_current_time(notAfter) < 0
        )
    }
}

/// ALPN: `http/1.1` when the client offers it; otherwise the handshake
/// fails with `no_application_protocol` (RFC 7301 §3.2), since this server
/// speaks nothing else.
private let selectHTTP11: @convention(c) (
    OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
    UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
) -> Int32 = { _, selected, selectedLength, offered, offeredLength, _ in
    guard let offered, let selected, let selectedLength else { return SSL_TLSEXT_ERR_ALERT_FATAL }
    let wanted: [UInt8] = Array("http/1.1".utf8)
    var index = 0
    let end = Int(offeredLength)
    while index < end {
        let length = Int(offered[index])
        let start = index + 1
        guard start + length <= end else { break }
        if length == wanted.count && (0..<length).allSatisfy({ offered[start + $0] == wanted[$0] }) {
            selected.pointee = offered + start
            selectedLength.pointee = UInt8(length)
            return SSL_TLSEXT_ERR_OK
        }
        index = start + length
    }
    return SSL_TLSEXT_ERR_ALERT_FATAL
}
