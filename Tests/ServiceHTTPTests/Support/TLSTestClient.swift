import COpenSSL
import Foundation
import HTTPTestSupport
@testable import ServiceHTTP

/// A TLS context for in-process servers, from a key and self-signed
/// certificate the openssl CLI makes once per test run.
enum TLSTestIdentity {
    static let context: TLSContext = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("service-http-tls-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=127.0.0.1",
        ]
        openssl.standardError = FileHandle.nullDevice
        try! openssl.run()
        openssl.waitUntilExit()
        return try! TLSContext(certificatePath: certificate, keyPath: key)
    }()
}

/// A RawClient whose bytes go through a blocking OpenSSL client session
/// (no verification: the server's certificate is not what these tests are about).
final class TLSTestSession {
    private let context: OpaquePointer
    private let session: OpaquePointer

    static func connect(port: Int, timeout: Double = 5) throws -> RawClient {
        let client = try RawClient(port: port, timeout: timeout)
        let tls = try TLSTestSession(fileDescriptor: client.fd)
        client.channel = RawClient.Channel(
            receive: { buffer in Int(SSL_read(tls.session, buffer.baseAddress, Int32(clamping: buffer.count))) },
            send: { buffer in Int(SSL_write(tls.session, buffer.baseAddress, Int32(clamping: buffer.count))) }
        )
        return client
    }

    private init(fileDescriptor: Int32) throws {
        context = SSL_CTX_new(TLS_client_method())!
        session = SSL_new(context)!
        SSL_set_fd(session, fileDescriptor)
        // Freed by `deinit`, which runs for a throw after every stored property is set.
        guard SSL_connect(session) == 1 else { throw RawClient.ClientError(description: "TLS handshake failed") }
    }

    deinit {
        SSL_free(session)
        SSL_CTX_free(context)
    }
}
