import Testing
@testable import ServiceHTTP

/// Malformed and edge-case requests sent over a real socket: each gets its
/// status, and the server keeps serving afterwards.
@Suite(.serialized) struct MalformedRequestTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let raw: String
        let status: Int
        /// Whether the server must close the connection after answering.
        let closes: Bool
        var testDescription: String { name }

        init(_ name: String, _ raw: String, _ status: Int, closes: Bool? = nil) {
            self.name = name
            self.raw = raw
            self.status = status
            self.closes = closes ?? (status >= 400)
        }
    }

    static let long = String(repeating: "a", count: 9000)

    static let cases: [Case] = [
        // Framing conflicts (request smuggling vectors)
        Case("Content-Length with Transfer-Encoding", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        Case("differing Content-Length", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
        Case("differing Content-Length in one list", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabcd", 400),
        Case("identical Content-Length repeated", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 200, closes: false),
        Case("two Authorization fields", "GET /healthz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b\r\n\r\n", 400),
        Case("two authorization fields, any case", "GET /healthz HTTP/1.1\r\nHost: x\r\nauthorization: Bearer a\r\nAUTHORIZATION: Bearer a\r\n\r\n", 400),
        Case("two Content-Type fields", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}", 400),
        Case("two Idempotency-Key fields", "POST /echo HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\r\nIdempotency-Key: b\r\nContent-Length: 2\r\n\r\n{}", 400),
        Case("two If-Match fields", "GET /healthz HTTP/1.1\r\nHost: x\r\nIf-Match: \"1\"\r\nIf-Match: \"2\"\r\n\r\n", 400),
        Case("one of each singleton", "GET /healthz HTTP/1.1\r\nHost: x\r\nAuthorization: a\r\nContent-Type: b\r\nIdempotency-Key: c\r\nIf-Match: d\r\n\r\n", 200, closes: false),
        Case("Content-Length not a number", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3a\r\n\r\nabc", 400),
        Case("negative Content-Length", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
        Case("empty Content-Length", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n", 400),
        Case("Transfer-Encoding gzip", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
        Case("Transfer-Encoding gzip, chunked", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 400),
        Case("Transfer-Encoding chunked twice", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        Case("Transfer-Encoding in HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        Case("Transfer-Encoding chunked uppercase", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: CHUNKED\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 200, closes: false),
        // Line structure
        Case("obs-fold", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  continued\r\n\r\n", 400),
        Case("whitespace before colon", "GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n", 400),
        Case("tab before colon", "GET /healthz HTTP/1.1\r\nHost\t: x\r\n\r\n", 400),
        Case("invalid char in field name", "GET /healthz HTTP/1.1\r\nHost: x\r\nX(A): 1\r\n\r\n", 400),
        Case("empty field name", "GET /healthz HTTP/1.1\r\nHost: x\r\n: 1\r\n\r\n", 400),
        Case("field without colon", "GET /healthz HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400),
        Case("NUL in field value", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\u{0}b\r\n\r\n", 400),
        Case("vertical tab in field value", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\u{0B}b\r\n\r\n", 400),
        Case("DEL in field value", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\u{7F}b\r\n\r\n", 400),
        Case("bare LF line endings", "GET /healthz HTTP/1.1\nHost: x\n\n", 400),
        Case("bare LF in headers", "GET /healthz HTTP/1.1\r\nHost: x\nX-A: 1\r\n\r\n", 400),
        Case("bare CR in headers", "GET /healthz HTTP/1.1\r\nHost: x\rX-A: 1\r\n\r\n", 400),
        Case("leading empty line tolerated", "\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 200, closes: false),
        // Request line
        Case("invalid char in method", "GE(T /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        Case("unknown method", "BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        Case("TRACE is not allowed on a resource", "TRACE /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 405, closes: false),
        Case("QUERY is not allowed on a resource", "QUERY /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405, closes: false),
        Case("CONNECT not implemented", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501),
        Case("lowercase method", "get /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        Case("double space in request line", "GET  /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        Case("space in target", "GET /health z HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        Case("raw UTF-8 in target", "GET /h\u{E9}althz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        Case("missing version", "GET /healthz\r\nHost: x\r\n\r\n", 400),
        Case("HTTP/2.0", "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        Case("HTTP/0.9 version", "GET /healthz HTTP/0.9\r\nHost: x\r\n\r\n", 505),
        Case("malformed version", "GET /healthz HTTP/1.1x\r\nHost: x\r\n\r\n", 400),
        Case("lowercase http version", "GET /healthz http/1.1\r\nHost: x\r\n\r\n", 400),
        Case("target not origin-form", "GET healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        Case("absolute-form target", "GET http://x/healthz HTTP/1.1\r\nHost: x\r\n\r\n", 200, closes: false),
        Case("target over 8 KiB", "GET /\(long) HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        // Host
        Case("HTTP/1.1 without Host", "GET /healthz HTTP/1.1\r\n\r\n", 400),
        Case("two Host fields", "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        Case("HTTP/1.0 without Host", "GET /healthz HTTP/1.0\r\n\r\n", 200, closes: true),
        // Sizes
        Case("header block over 16 KiB", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: \(long)\r\nX-B: \(long)\r\n\r\n", 431),
        Case("too many header fields", "GET /healthz HTTP/1.1\r\nHost: x\r\n" + String(repeating: "X-A: 1\r\n", count: 200) + "\r\n", 431),
        Case("Content-Length over the limit", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999999\r\n\r\n", 413),
        Case("Content-Length overflowing 64 bits", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413),
        // Chunked bodies
        Case("chunk size not hex", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400),
        Case("chunk size with space", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n", 400),
        Case("chunk size overflowing 64 bits", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nabc\r\n0\r\n\r\n", 413),
        Case("chunk size with 17 digits", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000003\r\nabc\r\n0\r\n\r\n", 400),
        Case("chunk larger than limit", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffff\r\nabc\r\n", 413),
        Case("chunk data longer than size", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n", 400),
        Case("chunk size line with bare LF", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", 400),
        Case("chunk extension without name", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;\r\nabc\r\n0\r\n\r\n", 400),
        Case("chunked with extension and trailer", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;name=\"v\"\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n", 200, closes: false),
        Case("trailer with control character", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: a\u{1}\r\n\r\n", 400),
        // Expectations
        Case("unknown expectation", "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nContent-Length: 1\r\n\r\na", 417),
        // Routing
        Case("bad percent-encoding in path", "GET /heal%zzthz HTTP/1.1\r\nHost: x\r\n\r\n", 400, closes: false),
        Case("percent-encoded NUL in path", "GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400, closes: false),
        Case("bad percent-encoding in query", "GET /healthz?a=%G1 HTTP/1.1\r\nHost: x\r\n\r\n", 400, closes: false),
        Case("unknown path", "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", 404, closes: false),
        Case("wrong method", "DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 405, closes: false),
    ]

    @Test func tableIsLargeEnough() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases)
    func answersAndKeepsServing(_ testCase: Case) throws {
        let server = try TestServer { $0.limits.maxBodyBytes = 1 << 20 }
        let client = try server.client()
        try client.send(testCase.raw)
        let response = try client.readResponse()
        #expect(response.status == testCase.status)
        if response.status >= 400 {
            #expect(response.header("Content-Type") == "application/problem+json")
            let problem = try #require(response.json)
            #expect(problem["status"] as? Int == testCase.status)
            #expect(problem["title"] is String)
            #expect(problem["detail"] is String)
            #expect(problem["type"] is String)
        }
        if testCase.closes {
            #expect(response.header("Connection") == "close")
            #expect(client.isClosedByServer())
        }
        let healthy = try server.client().request("GET", "/healthz")
        #expect(healthy.status == 200)
    }
}
