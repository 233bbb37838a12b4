import COpenSSL

/// The client side of TLS for outgoing requests: TLS 1.2 or later, the
/// peer's certificate verified against the system's trust store (or a
/// given CA file) and its name against the host asked for.
public final class OutboundTLS: @unchecked Sendable {
    let context: OpaquePointer

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `caFile`: trust only these certificates (tests); nil for the system's.
    public init(caFile: String? = nil) throws {
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw Failure(description: OpenSSLErrorQueue.drain()) }
        self.context = context
        _ = shim_SSL_CTX_set_min_proto_version(context, shim_TLS1_2_VERSION)
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        let loaded = caFile.map { SSL_CTX_load_verify_locations(context, $0, nil) } ?? SSL_CTX_set_default_verify_paths(context)
        guard loaded == 1 else { throw Failure(description: "trust store: \(OpenSSLErrorQueue.drain())") }
    }

    deinit { SSL_CTX_free(context) }

    /// A session over the connected, blocking socket `fd`, handshaken.
    func connect(fd: Int32, host: String, isLiteral: Bool) throws -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(context) else { throw Failure(description: OpenSSLErrorQueue.drain()) }
        SSL_set_fd(ssl, fd)
        if !isLiteral { _ = shim_SSL_set_tlsext_host_name(ssl, host) }
        let verifyParameters = SSL_get0_param(ssl)
        let named = isLiteral ? X509_VERIFY_PARAM_set1_ip_asc(verifyParameters, host) : SSL_set1_host(ssl, host)
        guard named == 1, SSL_connect(ssl) == 1 else {
            let verify = SSL_get_verify_result(ssl)
            let reason = verify == X509_V_OK ? OpenSSLErrorQueue.drain() : String(cString: X509_verify_cert_error_string(verify))
            SSL_free(ssl)
            throw Failure(description: "TLS handshake with \(host) failed: \(reason)")
        }
        return ssl
    }
}
