import Foundation
import Testing
@testable import ServiceHTTP

/// Header names compared, and response heads written, through byte buffers:
/// what the fast paths must still get right.
struct HeaderBytesTests {
    @Test(arguments: [
        ("Authorization", "authorization", true), ("HOST", "host", true), ("Content-Length", "content-length", true),
        ("Host", "Hosts", false), ("Host", "Hast", false), ("", "", true), ("x-request-id", "X-Request-Id", true),
        // Long enough to live on the heap, and differing only in the last byte.
        ("X-A-Very-Long-Header-Name-Indeed", "x-a-very-long-header-name-indeeD", true),
        ("X-A-Very-Long-Header-Name-Indeed", "x-a-very-long-header-name-indeex", false),
        // Only ASCII letters fold: "@" (0x40) and "`" (0x60) differ by the case bit and are not letters.
        ("@", "`", false), ("[", "{", false), ("é", "É", false),
    ])
    func namesCompareIgnoringASCIICaseOnly(left: String, right: String, equal: Bool) {
        #expect(asciiCaseInsensitiveEquals(left, right) == equal)
        #expect(asciiCaseInsensitiveEquals(Substring(left), right) == equal)
        #expect(asciiCaseInsensitiveEquals("\(left)!".dropLast(), Substring(right)) == equal)
    }

    @Test func aHeadIsWrittenByteForByte() throws {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        headers.add("ETag", "\"3\"")
        headers.add("X-Long-Value", String(repeating: "v", count: 40))
        headers.add("Content-Length", "999")  // the server's own field: dropped
        var out: [UInt8] = []
        try ResponseSerializer.writeHead(status: .ok, headers: headers, framing: .length(12), keepAlive: true, requestVersion: .http1_1,
                                         date: Array("Fri, 04 Dec 2026 03:00:00 GMT".utf8), serverName: "service-daemon", into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "HTTP/1.1 200 OK\r\nServer: service-daemon\r\nDate: Fri, 04 Dec 2026 03:00:00 GMT\r\n"
            + "Content-Type: application/json\r\nETag: \"3\"\r\nX-Long-Value: \(String(repeating: "v", count: 40))\r\n"
            + "Content-Length: 12\r\n\r\n")
    }

    /// Status code and length go in as digits, whatever their width.
    @Test(arguments: [(HTTPStatus.notFound, 0, "404 Not Found", "0"), (.created, 7, "201 Created", "7"),
                      (.serviceUnavailable, 8_388_608, "503 Service Unavailable", "8388608")])
    func statusAndLengthAreWrittenAsDigits(status: HTTPStatus, length: Int, line: String, digits: String) throws {
        var out: [UInt8] = []
        try ResponseSerializer.writeHead(status: status, headers: HTTPHeaders(), framing: .length(length), keepAlive: true,
                                         requestVersion: .http1_1, date: Array("D".utf8), serverName: "s", into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "HTTP/1.1 \(line)\r\nServer: s\r\nDate: D\r\nContent-Length: \(digits)\r\n\r\n")
    }

    @Test(arguments: [("Bad Name", "x"), ("", "x"), ("X-Split", "a\r\nInjected: yes"), ("X-Nul", "a\u{0}b")])
    func aFieldThatCouldSplitTheHeadIsRefusedAndNothingIsWritten(name: String, value: String) {
        var headers = HTTPHeaders()
        headers.add(name, value)
        var out = Array("earlier bytes".utf8)
        #expect(throws: ResponseSerializer.InvalidHeader.self) {
            try ResponseSerializer.writeHead(status: .ok, headers: headers, framing: .length(0), keepAlive: false, requestVersion: .http1_1,
                                             date: [], serverName: "s", into: &out)
        }
        #expect(out == Array("earlier bytes".utf8))
    }

    @Test func setReplacesEveryFieldOfTheNameAndRemovingAnAbsentOneChangesNothing() {
        var headers = HTTPHeaders()
        headers.add("X-Request-Id", "a")
        headers.add("Vary", "Origin")
        headers.add("x-request-id", "b")
        headers.set("X-REQUEST-ID", "c")
        #expect(headers.map { "\($0.name): \($0.value)" } == ["Vary: Origin", "X-REQUEST-ID: c"])
        headers.remove("ETag")
        #expect(headers.map { "\($0.name): \($0.value)" } == ["Vary: Origin", "X-REQUEST-ID: c"])
        headers.remove("vary")
        #expect(headers.map(\.name) == ["X-REQUEST-ID"])
    }

    @Test func attributesAreKeptByTypeAndReplaced() {
        var attributes = RequestAttributes()
        #expect(attributes[Int.self] == nil)
        attributes[Int.self] = 1
        attributes[String.self] = "one"
        attributes[Int.self] = 2
        #expect(attributes[Int.self] == 2 && attributes[String.self] == "one")
        attributes[Int.self] = nil
        #expect(attributes[Int.self] == nil && attributes[String.self] == "one")
    }
}

/// Generated request ids: the process's sixteen hex digits, a hyphen, and a
/// counter in lowercase hex without leading zeros.
@Suite struct RequestIDGeneratorTests {
    @Test func idsArePrefixAndCounterInHex() {
        let generator = RequestIDGenerator(random: 0x00ab_cdef_0123_4567, sequence: 8)
        #expect(generator.next() == "00abcdef01234567-9")
        #expect(generator.next() == "00abcdef01234567-a")
        for _ in 0..<5 { _ = generator.next() }
        #expect(generator.next() == "00abcdef01234567-10")
        let wide = RequestIDGenerator(random: .max, sequence: .max - 1)
        #expect(wide.next() == "ffffffffffffffff-ffffffffffffffff")
        let first = RequestIDGenerator(random: 0)
        #expect(first.next() == "0000000000000000-1")
    }

    @Test func aProcesssIdsAreDistinct() {
        let generator = RequestIDGenerator()
        let ids = (0..<1_000).map { _ in generator.next() }
        #expect(Set(ids).count == 1_000)
        #expect(ids.allSatisfy { RequestIDMiddleware.isAcceptable($0) && $0.utf8.count >= 18 })
    }
}
