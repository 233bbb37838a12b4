import Foundation
import HTTPTestSupport
import Testing

/// HTTPS end to end: the real binary with `tls_cert`/`tls_key`, spoken to by
/// curl and `openssl s_client`, certificates made by the openssl CLI.
@Suite struct TLSTests {
    /// A self-signed certificate for 127.0.0.1 and localhost, as an operator
    /// would make one with the openssl CLI.
    struct Certificate {
        let certificate: String
        let key: String

        init(commonName: String, in directory: TemporaryDirectory) throws {
            certificate = directory.path("\(commonName)-cert.pem")
            key = directory.path("\(commonName)-key.pem")
            let made = try DaemonProcess.runTool("openssl", [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=\(commonName)",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
            guard made.status == 0 else { throw RawClient.ClientError(description: "openssl req failed: \(made.stderr)") }
        }
    }

    /// A daemon serving HTTPS with `certificate`, or plain HTTP without one.
    static func daemon(_ directory: TemporaryDirectory, _ certificate: Certificate?, settings: [String: String] = [:]) throws -> DaemonProcess {
        var environment = ["SERVICE_DAEMON_TLS_HANDSHAKE_TIMEOUT_MS": "300"]
        if let certificate {
            environment["SERVICE_DAEMON_TLS_CERT"] = certificate.certificate
            environment["SERVICE_DAEMON_TLS_KEY"] = certificate.key
        }
        for (key, value) in settings { environment["SERVICE_DAEMON_" + key.uppercased()] = value }
        let daemon = try DaemonProcess(["serve", "--port", "0", "--db", directory.path("\(UUID().uuidString).db")], environment: environment)
        try daemon.waitUntilListening()
        return daemon
    }

    static func curl(_ daemon: DaemonProcess, trusting certificate: String) throws -> (status: Int32?, stdout: String, stderr: String) {
        try DaemonProcess.runTool("curl", ["-sS", "--max-time", "10", "--cacert", certificate, "https://127.0.0.1:\(daemon.port)/healthz"])
    }

    /// `openssl s_client` verifying the daemon's certificate; `extra` picks versions or ALPN.
    static func sClient(_ daemon: DaemonProcess, trusting certificate: String, _ extra: [String], input: String = "") throws -> (status: Int32?, stdout: String, stderr: String) {
        try DaemonProcess.runTool("openssl", sClientArguments(daemon, trusting: certificate) + extra, input: input)
    }

    static func sClientArguments(_ daemon: DaemonProcess, trusting certificate: String) -> [String] {
        ["s_client", "-connect", "127.0.0.1:\(daemon.port)", "-servername", "localhost", "-CAfile", certificate, "-verify_return_error"]
    }

    @Test func curlGetsHealthOverHTTPSWithTheCertificateAsCA() throws {
        let directory = try TemporaryDirectory()
        let certificate = try Certificate(commonName: "first", in: directory)
        let daemon = try Self.daemon(directory, certificate)

        let trusted = try Self.curl(daemon, trusting: certificate.certificate)
        #expect(trusted.status == 0)
        #expect(trusted.stdout == #"{"status":"ok"}"#)
        // Without the CA the same request fails verification: it really is TLS with that certificate.
        let untrusted = try DaemonProcess.runTool("curl", ["-sS", "--max-time", "10", "https://127.0.0.1:\(daemon.port)/healthz"])
        #expect(untrusted.status == 60)
        // Plain HTTP on the HTTPS port gets no HTTP answer.
        let plain = try DaemonProcess.runTool("curl", ["-sS", "--max-time", "10", "http://127.0.0.1:\(daemon.port)/healthz"])
        #expect(plain.status != 0)
        #expect(!plain.stdout.contains("status"))

        let loaded = try #require(daemon.logLines.first { $0["msg"] as? String == "TLS certificate loaded" })
        #expect(loaded["subject"] as? String == "/CN=first")
        #expect(loaded["path"] as? String == certificate.certificate)
        let listening = try #require(daemon.logLines.first { $0["msg"] as? String == "listening" })
        #expect(listening["tls"] as? String == "true")
    }

    @Test func onlyTLS12And13AreAccepted() throws {
        let directory = try TemporaryDirectory()
        let certificate = try Certificate(commonName: "first", in: directory)
        let daemon = try Self.daemon(directory, certificate)
        // SECLEVEL=0 lets this client offer the old versions at all: the refusal must be the server's.
        let permissive = ["-cipher", "DEFAULT:@SECLEVEL=0"]
        for old in ["-tls1", "-tls1_1"] {
            let refused = try Self.sClient(daemon, trusting: certificate.certificate, [old] + permissive)
            #expect(refused.status != 0, "\(old) was accepted")
            #expect(refused.stderr.contains("alert protocol version"), "\(old): \(refused.stderr)")
        }
        for (flag, name) in [("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")] {
            let accepted = try Self.sClient(daemon, trusting: certificate.certificate, [flag] + permissive)
            #expect(accepted.status == 0, "\(flag): \(accepted.stderr)")
            #expect(accepted.stdout.contains("New, \(name), Cipher is"), "\(flag)")
        }
        #expect(daemon.logLines.filter { $0["msg"] as? String == "TLS handshake failed" && $0["error"] as? String == "unsupported protocol" }.count == 2)
    }

    @Test func alpnSelectsHTTP11AndRefusesOnlyOtherProtocols() throws {
        let directory = try TemporaryDirectory()
        let certificate = try Certificate(commonName: "first", in: directory)
        let daemon = try Self.daemon(directory, certificate)

        let offered = try Self.sClient(daemon, trusting: certificate.certificate, ["-alpn", "h2,http/1.1"])
        #expect(offered.status == 0)
        #expect(offered.stdout.contains("ALPN protocol: http/1.1"))
        // RFC 7301: no common protocol is a fatal no_application_protocol alert, not a silent fallback.
        let h2Only = try Self.sClient(daemon, trusting: certificate.certificate, ["-alpn", "h2"])
        #expect(h2Only.status != 0)
        #expect(h2Only.stderr.contains("no application protocol"))
        // A client that offers no ALPN at all (older tools) is still served.
        let none = try Self.sClient(daemon, trusting: certificate.certificate, ["-quiet"], input: "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(none.stdout.hasPrefix("HTTP/1.1 200 OK\r\n"))
    }

    @Test func handshakeDeadlineClosesASilentOrStalledClient() throws {
        let directory = try TemporaryDirectory()
        let certificate = try Certificate(commonName: "first", in: directory)
        // The header timeout (10 s) is longer than the client waits (5 s): only the
        // 300 ms handshake deadline can close these connections in time.
        let daemon = try Self.daemon(directory, certificate, settings: ["header_timeout_ms": "10000"])

        let silent = try RawClient(port: daemon.port, timeout: 5)
        #expect(silent.isClosedByServer())

        let stalled = try RawClient(port: daemon.port, timeout: 5)
        try stalled.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])  // a ClientHello record header, then nothing
        #expect(stalled.isClosedByServer())

        // A completed handshake is not subject to it: this connection waits 600 ms before its request.
        let session = try DaemonProcess.tool("openssl", Self.sClientArguments(daemon, trusting: certificate.certificate) + ["-quiet"])
        usleep(600_000)
        session.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(session.waitForOutput(#"{"status":"ok"}"#))
        session.closeInput()
        session.wait()
    }

    /// The same bytes get the same answer (bar the Date header) over TLS and plain HTTP:
    /// limits and timeouts live above the transport.
    struct Malformed: CustomTestStringConvertible, Sendable {
        let name: String
        let request: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Malformed(name: "two Host headers (400)", request: "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        Malformed(name: "bare LF (400)", request: "GET /healthz HTTP/1.1\nHost: x\n\n"),
        Malformed(name: "Content-Length with Transfer-Encoding (400)",
                  request: "POST /v1/dealers HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
        Malformed(name: "body over max_body_bytes (413)", request: "POST /v1/dealers HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\n\r\n"),
        Malformed(name: "HTTP/2.0 (505)", request: "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n"),
        Malformed(name: "17 kB header (431)",
                  request: "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 17_000) + "\r\n\r\n"),
        Malformed(name: "unfinished head (408 after header_timeout_ms)", request: "GET /healthz HTTP/1.1\r\nHost: x\r\n"),
    ])
    func malformedRequestGetsTheSameAnswerAsPlain(_ malformed: Malformed) throws {
        let request = malformed.request
        let directory = try TemporaryDirectory()
        let certificate = try Certificate(commonName: "first", in: directory)
        let settings = ["max_body_bytes": "1024", "header_timeout_ms": "400"]
        let secure = try Self.daemon(directory, certificate, settings: settings)
        let plain = try Self.daemon(directory, nil, settings: settings)

        let plainClient = try plain.client()
        try plainClient.send(request)
        let plainAnswer = String(decoding: plainClient.readToEnd(), as: UTF8.self)
        let secureAnswer = try Self.sClient(secure, trusting: certificate.certificate, ["-quiet"], input: request).stdout

        func withoutDate(_ text: String) -> String {
            text.components(separatedBy: "\r\n").filter { !$0.hasPrefix("Date: ") }.joined(separator: "\r\n")
        }
        #expect(plainAnswer.hasPrefix("HTTP/1.1 4") || plainAnswer.hasPrefix("HTTP/1.1 5"))
        #expect(withoutDate(secureAnswer) == withoutDate(plainAnswer))
    }

    @Test func sighupReloadsWithoutDroppingOpenConnections() throws {
        let directory = try TemporaryDirectory()
        let first = try Certificate(commonName: "first", in: directory)
        let second = try Certificate(commonName: "second", in: directory)
        // The daemon reads these two paths; the test replaces their contents.
        let served = Certificate.Paths(certificate: directory.path("server-cert.pem"), key: directory.path("server-key.pem"))
        try served.install(first)
        let daemon = try Self.daemon(directory, Certificate(paths: served))

        let before = try DaemonProcess.tool("openssl", Self.sClientArguments(daemon, trusting: first.certificate) + ["-quiet"])
        before.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(before.waitForOutput(#"{"status":"ok"}"#))

        try served.install(second)
        kill(daemon.process.processIdentifier, SIGHUP)
        let reloaded = daemon.waitForLog("TLS certificate reloaded")
        #expect(reloaded?["subject"] as? String == "/CN=second")

        // New connections see the new certificate, and only it.
        #expect(try Self.curl(daemon, trusting: second.certificate).stdout == #"{"status":"ok"}"#)
        #expect(try Self.curl(daemon, trusting: first.certificate).status == 60)
        // The connection opened before keeps working on the old one.
        before.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(before.waitForOutput(#"{"status":"ok"}"#, count: 2))
        before.closeInput()
        #expect(before.wait() == 0)

        // A bad new file is logged, naming it, and the certificate in use is kept.
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: served.certificate))
        kill(daemon.process.processIdentifier, SIGHUP)
        let failed = daemon.waitForLog("TLS certificate reload failed; keeping the one in use")
        #expect(failed?["error"] as? String == "TLS certificate \(served.certificate): not a PEM certificate (no start line; PEM lib)")
        #expect(try Self.curl(daemon, trusting: second.certificate).stdout == #"{"status":"ok"}"#)
        daemon.terminate()
        #expect(daemon.wait() == 0)
    }

    @Test func sighupWithoutTLSIsLoggedAndHarmless() throws {
        let directory = try TemporaryDirectory()
        let daemon = try Self.daemon(directory, nil)
        kill(daemon.process.processIdentifier, SIGHUP)  // its default action would end the process
        #expect(daemon.waitForLog("SIGHUP: nothing to reload (TLS is off)") != nil)
        #expect(try daemon.client().request("GET", "/healthz").status == 200)
        daemon.terminate()
        #expect(daemon.wait() == 0)
    }

    @Test func badTLSSettingsStopStartUpWithOneLineNamingTheFile() throws {
        let directory = try TemporaryDirectory()
        let first = try Certificate(commonName: "first", in: directory)
        let second = try Certificate(commonName: "second", in: directory)
        let missing = directory.path("missing.pem")
        let garbage = directory.path("garbage.pem")
        try Data("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".utf8).write(to: URL(fileURLWithPath: garbage))
        let encrypted = directory.path("encrypted-key.pem")
        let encrypting = try DaemonProcess.runTool("openssl", ["pkey", "-in", first.key, "-aes256", "-passout", "pass:secret", "-out", encrypted])
        #expect(encrypting.status == 0)

        let cases: [([String: String], String)] = [
            (["TLS_CERT": missing, "TLS_KEY": first.key], "TLS certificate \(missing): cannot be read (No such file or directory)"),
            (["TLS_CERT": first.certificate, "TLS_KEY": missing], "TLS key \(missing): cannot be read (No such file or directory)"),
            (["TLS_CERT": directory.url.path, "TLS_KEY": first.key], "TLS certificate \(directory.url.path): not a regular file"),
            (["TLS_CERT": garbage, "TLS_KEY": first.key], "TLS certificate \(garbage): not a PEM certificate"),
            (["TLS_CERT": first.certificate, "TLS_KEY": first.certificate], "TLS key \(first.certificate): not an unencrypted PEM private key"),
            (["TLS_CERT": first.certificate, "TLS_KEY": encrypted], "TLS key \(encrypted): not an unencrypted PEM private key"),
            (["TLS_CERT": first.certificate, "TLS_KEY": second.key], "TLS key \(second.key): does not match the certificate in \(first.certificate)"),
            (["TLS_CERT": first.certificate], "tls_cert is set but tls_key is not; set both (HTTPS) or neither (HTTP)"),
            (["TLS_KEY": first.key], "tls_key is set but tls_cert is not; set both (HTTPS) or neither (HTTP)"),
        ]
        for (settings, message) in cases {
            var environment: [String: String] = [:]
            for (key, value) in settings { environment["SERVICE_DAEMON_" + key] = value }
            let result = try DaemonProcess.run(["serve", "--port", "0", "--db", directory.path("never.db")], environment: environment)
            #expect(result.status == 78, "\(settings)")
            let plainLines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("{") }
            #expect(plainLines.count == 1, "\(settings): \(result.stderr)")
            #expect(plainLines.first?.hasPrefix("service-daemon: ") == true, "\(settings): \(result.stderr)")
            #expect(plainLines.first?.contains(message) == true, "\(settings): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("never.db")))
    }
}

extension TLSTests.Certificate {
    /// Where a running daemon reads its files; `install` replaces their
    /// contents (key first, each by rename) as an operator renewing would.
    struct Paths {
        let certificate: String
        let key: String

        func install(_ source: TLSTests.Certificate) throws {
            for (from, to) in [(source.key, key), (source.certificate, certificate)] {
                let staging = to + ".new"
                try? FileManager.default.removeItem(atPath: staging)
                try FileManager.default.copyItem(atPath: from, toPath: staging)
                guard rename(staging, to) == 0 else { throw RawClient.ClientError(description: "rename \(staging)") }
            }
        }
    }

    init(paths: Paths) {
        certificate = paths.certificate
        key = paths.key
    }
}
