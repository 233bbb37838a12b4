import HTTPTestSupport
import Testing
@testable import ServiceHTTP

/// Each route's body limit over real sockets: the router's default (100
/// bytes here) for every route that sets none and for paths no route
/// matches, a route's own (1 000) where it takes more, the server's (4 096)
/// above all. A body over its route's limit is refused with 413 from the
/// head alone, before any of it is sent, and the connection is closed.
@Suite struct RouteBodyLimitTests {
    static func server() throws -> TestServer {
        try TestServer(configure: { $0.limits.maxBodyBytes = 4_096 }, routerBodyLimit: 100) { router in
            router.post("/batch", maxBodyBytes: 1_000) { request in
                HTTPResponse(status: .ok, contentType: "application/octet-stream", body: request.body)
            }
            router.put("/huge", maxBodyBytes: 10_000) { request in
                HTTPResponse(status: .ok, contentType: "application/octet-stream", body: request.body)
            }
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let method: String
        let path: String
        let length: Int
        let status: Int
        var testDescription: String { "\(method) \(path) with \(length) bytes: \(status)" }
    }

    static let cases: [Case] = [
        Case(method: "POST", path: "/echo", length: 100, status: 200),
        Case(method: "POST", path: "/echo", length: 101, status: 413),
        Case(method: "POST", path: "/batch", length: 1_000, status: 200),
        Case(method: "POST", path: "/batch", length: 1_001, status: 413),
        // The route's own limit never lifts the server's.
        Case(method: "PUT", path: "/huge", length: 4_096, status: 200),
        Case(method: "PUT", path: "/huge", length: 4_097, status: 413),
        // No route: the router's default; the answer is then 404 or 405.
        Case(method: "POST", path: "/nowhere", length: 100, status: 404),
        Case(method: "POST", path: "/nowhere", length: 101, status: 413),
        Case(method: "PATCH", path: "/batch", length: 101, status: 413),
        Case(method: "PATCH", path: "/batch", length: 100, status: 405),
    ]

    @Test(arguments: cases)
    func announcedLength(_ check: Case) throws {
        let server = try Self.server()
        let client = try server.client()
        try client.send("\(check.method) \(check.path) HTTP/1.1\r\nHost: x\r\nContent-Length: \(check.length)\r\n\r\n")
        if check.status == 413 {
            // Refused from the head: nothing of the body was sent.
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.text.contains("exceeds"))
            #expect(client.isClosedByServer())
        } else {
            try client.send(String(repeating: "b", count: check.length))
            let response = try client.readResponse()
            #expect(response.status == check.status)
            if check.status == 200 { #expect(response.body.count == check.length) }
        }
    }

    @Test(arguments: cases)
    func chunkedBody(_ check: Case) throws {
        let server = try Self.server()
        let client = try server.client()
        // Two chunks, so the limit is crossed by their sum, not by one size line.
        let half = check.length / 2
        let rest = check.length - half
        try client.send("\(check.method) \(check.path) HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + String(half, radix: 16) + "\r\n" + String(repeating: "c", count: half) + "\r\n"
            + String(rest, radix: 16) + "\r\n" + String(repeating: "c", count: rest) + "\r\n0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == check.status)
    }

    @Test func expectContinueRefusedByTheRouteLimit() throws {
        let server = try Self.server()
        let client = try server.client()
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n")
        #expect(try client.readResponse().status == 413)
        #expect(client.isClosedByServer())

        let allowed = try server.client()
        try allowed.send("POST /batch HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n")
        #expect(try allowed.readResponse().status == 100)
    }

    /// A keep-alive connection carries a large body to the route that takes
    /// it, then a small one elsewhere: the limit is per message.
    @Test func limitIsPerMessage() throws {
        let server = try Self.server()
        let client = try server.client()
        #expect(try client.request("POST", "/batch", body: String(repeating: "a", count: 900)).status == 200)
        #expect(try client.request("POST", "/echo", body: String(repeating: "a", count: 90)).status == 200)
        #expect(try client.request("POST", "/batch", body: String(repeating: "a", count: 900)).status == 200)
    }
}
