import Foundation
import Glibc
import Testing
@testable import ServiceHTTP
import HTTPTestSupport

/// Behaviour over real sockets: persistence, pipelining, bodies, timeouts,
/// limits and shutdown.
@Suite struct RoundTripTests {
    @Test func keepAliveServesSeveralRequests() throws {
        let server = try TestServer()
        let client = try server.client()
        for _ in 0..<3 {
            let response = try client.request("GET", "/healthz")
            #expect(response.status == 200)
            #expect(response.text == #"{"status":"ok"}"#)
            #expect(response.header("Connection") == nil)
            #expect(response.header("Date") != nil)
            #expect(response.header("Server") == "service-daemon")
        }
    }

    @Test func pipelinedRequestsAnsweredInOrder() throws {
        let server = try TestServer()
        let client = try server.client()
        // A slow pool request first, then an inline one: order must still hold.
        try client.send(
            "GET /sleep?ms=150 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirst"
                + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nsecond\r\n0\r\n\r\n"
        )
        #expect(try client.readResponse().text == #"{"slept":150}"#)
        #expect(try client.readResponse().text == "first")
        #expect(try client.readResponse().text == #"{"status":"ok"}"#)
        #expect(try client.readResponse().text == "second")
    }

    @Test func chunkedBodyIsReassembled() throws {
        let server = try TestServer()
        let client = try server.client()
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        try client.send("5;note=\"a;b\"\r\nhello\r\n")
        usleep(20_000)
        try client.send("1\r\n \r\n5\r\nworld\r\n0\r\nChecksum: ignored\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "hello world")
    }

    @Test func expectContinueIsAnsweredBeforeTheBody() throws {
        let server = try TestServer()
        let client = try server.client()
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        let interim = try client.readResponse()
        #expect(interim.status == 100)
        try client.send("body")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "body")
    }

    @Test func expectContinueRefusedWhenTooLarge() throws {
        let server = try TestServer { $0.limits.maxBodyBytes = 100 }
        let client = try server.client()
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n")
        #expect(try client.readResponse().status == 413)
        #expect(client.isClosedByServer())
    }

    @Test func headHasLengthButNoBody() throws {
        let server = try TestServer()
        let client = try server.client()
        let head = try client.request("HEAD", "/healthz")
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "15")
        #expect(head.body.isEmpty)
        // Had a body been sent, it would be misread as the next response.
        #expect(try client.request("GET", "/healthz").status == 200)
    }

    @Test func http10ClosesByDefaultAndKeepsAliveOnRequest() throws {
        let server = try TestServer()
        let plain = try server.client()
        try plain.send("GET /healthz HTTP/1.0\r\n\r\n")
        let first = try plain.readResponse()
        #expect(first.status == 200)
        #expect(first.header("Connection") == "close")
        #expect(plain.isClosedByServer())

        let kept = try server.client()
        try kept.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.readResponse().header("Connection") == "keep-alive")
        try kept.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.readResponse().status == 200)
    }

    @Test func connectionCloseIsHonoured() throws {
        let server = try TestServer()
        let client = try server.client()
        let response = try client.request("GET", "/healthz", headers: ["Connection: close"])
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(client.isClosedByServer())
    }

    /// A read that took less than its buffer ends the reading without a
    /// last read to hear "no more"; the peer's close still arrives, whether
    /// it came with the request or after the response. The idle timeout is
    /// far beyond the client's, so only the close itself can end these.
    @Test func aHalfCloseIsSeenAfterAShortRead() throws {
        let server = try TestServer { $0.idleTimeout = .seconds(60) }
        let after = try server.client(timeout: 3)
        #expect(try after.request("GET", "/healthz").status == 200)
        after.shutdownWrite()
        #expect(after.isClosedByServer())

        let with = try server.client(timeout: 3)
        try with.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        with.shutdownWrite()
        #expect(try with.readResponse().status == 200)
        #expect(with.isClosedByServer())

        // A request in two parts, the second with the close.
        let split = try server.client(timeout: 3)
        try split.send("GET /healthz HTTP/1.1\r\nHo")
        usleep(50_000)
        try split.send("st: x\r\n\r\n")
        split.shutdownWrite()
        #expect(try split.readResponse().status == 200)
        #expect(split.isClosedByServer())
    }

    @Test func bodyOverLimitRefusedWithoutReadingIt() throws {
        let server = try TestServer { $0.limits.maxBodyBytes = 1024 }
        let client = try server.client()
        // Only the head is sent: the answer must not wait for the body.
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1025\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(client.isClosedByServer())

        let chunked = try server.client()
        try chunked.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n" + String(repeating: "a", count: 512) + "\r\n201\r\n")
        #expect(try chunked.readResponse().status == 413)
    }

    @Test func bodyAtLimitAccepted() throws {
        let server = try TestServer { $0.limits.maxBodyBytes = 1024 }
        let response = try server.client().request("POST", "/echo", body: String(repeating: "b", count: 1024))
        #expect(response.status == 200)
        #expect(response.body.count == 1024)
    }

    @Test func headerTimeoutAnswers408() throws {
        let server = try TestServer { $0.headerTimeout = .milliseconds(300) }
        let client = try server.client()
        try client.send("GET /healthz HTTP/1.1\r\nHo")
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(client.isClosedByServer())
    }

    @Test func slowlorisCannotExtendTheHeaderDeadline() throws {
        let server = try TestServer { $0.headerTimeout = .milliseconds(400) }
        let client = try server.client()
        let started = Date()
        var answered: RawClient.Response?
        for byte in "GET /healthz HTTP/1.1\r\nX-Slow: ".utf8 {
            try? client.send([byte])
            usleep(50_000)
            if Date().timeIntervalSince(started) > 0.6 { break }
        }
        answered = try? client.readResponse()
        #expect(answered?.status == 408)
    }

    @Test func silentConnectionIsClosed() throws {
        let server = try TestServer { $0.headerTimeout = .milliseconds(200) }
        let client = try server.client()
        #expect(client.isClosedByServer())
    }

    @Test func bodyTimeoutAnswers408() throws {
        let server = try TestServer { $0.bodyTimeout = .milliseconds(300) }
        let client = try server.client()
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        let response = try client.readResponse()
        #expect(response.status == 408)
    }

    @Test func idleKeepAliveConnectionIsClosed() throws {
        let server = try TestServer { $0.idleTimeout = .milliseconds(300) }
        let client = try server.client()
        #expect(try client.request("GET", "/healthz").status == 200)
        #expect(client.isClosedByServer())
    }

    @Test func slowHandlerDoesNotHoldUpOthers() throws {
        let server = try TestServer()
        let slow = try server.client(timeout: 10)
        try slow.send("GET /sleep?ms=2000 HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(100_000)
        for _ in 0..<5 {
            #expect(try server.client().request("GET", "/healthz").status == 200)
        }
        // The slow request is still running: its response has not arrived.
        var pending = pollfd(fd: slow.fd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&pending, 1, 0) == 0)
        #expect(try slow.readResponse().text == #"{"slept":2000}"#)
    }

    @Test func connectionLimitAnswers503() throws {
        let server = try TestServer { $0.maxConnections = 2; $0.headerTimeout = .seconds(5) }
        let first = try server.client()
        let second = try server.client()
        #expect(try first.request("GET", "/healthz").status == 200)
        #expect(try second.request("GET", "/healthz").status == 200)
        let third = try server.client()
        let refused = try third.readResponse()
        #expect(refused.status == 503)
        #expect(refused.header("Content-Type") == "application/problem+json")
    }

    @Test func gracefulShutdownFinishesInFlightRequest() throws {
        let name = "shutdown-\(UInt64.random(in: 0...UInt64.max))"
        let server = try TestServer { $0.serverName = name }
        let busy = try server.client(timeout: 10)
        let idle = try server.client()
        #expect(try idle.request("GET", "/healthz").status == 200)
        try busy.send("GET /sleep?ms=600 HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(150_000)
        server.server.shutdown()
        // Idle connections are closed at once.
        #expect(idle.isClosedByServer())
        let response = try busy.readResponse()
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        server.server.waitUntilStopped()
        // Its port refuses connections, unless a server of another test running
        // alongside has been given the freed port since: then what answers
        // there must not be this server (a listener left open but no longer
        // served would time out, and throw).
        if let late = try? RawClient(port: server.port) {
            #expect(try late.request("GET", "/healthz").header("Server") != name)
        }
    }

    @Test func shutdownDeadlineClosesStragglers() throws {
        let server = try TestServer { $0.shutdownGracePeriod = .milliseconds(200) }
        let busy = try server.client(timeout: 10)
        try busy.send("GET /sleep?ms=6000 HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(100_000)
        let started = Date()
        server.server.shutdown()
        server.server.waitUntilStopped()
        // Stopped long before the handler could finish, cutting its connection.
        #expect(Date().timeIntervalSince(started) < 4)
        #expect(busy.isClosedByServer())
    }

    @Test func listensOnIPv6() throws {
        let server = try TestServer { $0.host = "::1" }
        let client = try RawClient(port: server.port, host: "::1")
        #expect(try client.request("GET", "/healthz").status == 200)
    }
}
