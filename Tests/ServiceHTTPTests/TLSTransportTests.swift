import Foundation
import Testing
@testable import ServiceHTTP
import HTTPTestSupport

/// The TLS transport under the HTTP state machine, in-process: large
/// responses to slow readers (OpenSSL's WANT_WRITE and partial writes from a
/// growing buffer), large bodies, pipelining, and the same timeouts as plain.
@Suite struct TLSTransportTests {
    /// 4 MiB of a repeating pattern: far more than the socket buffers, so the
    /// server's SSL_write must wait for the reader.
    static let big: [UInt8] = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }

    static func server(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> TestServer {
        try TestServer(tls: TLSTestIdentity.context, configure: configure) { router in
            router.get("/big", placement: .eventLoop) { _ in
                HTTPResponse(status: .ok, contentType: "application/octet-stream", body: TLSTransportTests.big)
            }
            // More than loopback's socket buffers can hold between them (up to 6 + 4 MiB).
            router.get("/huge", placement: .eventLoop) { _ in
                HTTPResponse(status: .ok, contentType: "application/octet-stream", body: [UInt8](repeating: 0x2a, count: 16 << 20))
            }
        }
    }

    @Test func largeResponseToASlowReaderArrivesWhole() throws {
        let server = try Self.server()
        let client = try server.client()
        try client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(300_000)  // the server's writes block meanwhile
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.body.count == Self.big.count)
        #expect(response.body == Self.big)
        #expect(try client.readResponse().text == #"{"status":"ok"}"#)  // pipelined, in order
    }

    @Test func largeRequestBodyIsEchoed() throws {
        let server = try Self.server()
        let client = try server.client()
        let body = String(repeating: "0123456789abcdef", count: 65_536)  // 1 MiB
        let response = try client.request("POST", "/echo", body: body)
        #expect(response.status == 200)
        #expect(response.text == body)
    }

    @Test func aReaderThatStopsIsClosedAfterTheWriteTimeout() throws {
        let server = try Self.server { $0.writeTimeout = .milliseconds(300) }
        let client = try server.client()
        try client.send("GET /huge HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(1_500_000)  // several write timeouts without reading a byte
        let received = client.readToEnd()
        #expect(received.count < 16 << 20)
    }

    @Test func overTheConnectionLimitATLSClientIsClosedWithoutPlainBytes() throws {
        let server = try Self.server { $0.maxConnections = 1 }
        let first = try server.client()
        #expect(try first.request("GET", "/healthz").status == 200)
        // A plain-text 503 would be garbage to a TLS client: it gets only the close.
        let second = try RawClient(port: server.port)
        #expect(second.readToEnd().isEmpty)
        #expect(try first.request("GET", "/healthz").status == 200)
    }

    @Test func headerTimeoutStartsAfterTheHandshakeAndGives408() throws {
        let server = try Self.server { $0.tlsHandshakeTimeout = .milliseconds(200) }
        let client = try server.client()
        try client.send("GET /healthz HTTP/1.1\r\n")
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(client.isClosedByServer())
    }
}
