import Testing
@testable import ServiceHTTP

/// The head scanner passes over runs of bytes that are neither CR nor LF at
/// once and checks the head's limits where each run ends. These cases pin
/// that it refuses exactly what a byte-by-byte check refused, and as early:
/// inside a line that has not ended yet, and before a malformed line ending
/// that follows the excess. Each is fed whole and cut at every byte.
@Suite struct HeadScannerLimitTests {
    /// Header section at most 64 bytes; request line at most 40 + 32 bytes
    /// (the target's limit and room for method, spaces and version).
    static let limits: ParserLimits = {
        var limits = ParserLimits()
        limits.maxHeaderBytes = 64
        limits.maxRequestTargetBytes = 40
        return limits
    }()

    static func a(_ count: Int) -> String { String(repeating: "a", count: count) }

    @Test(arguments: [
        // The section counted from after the request line up to the final
        // CR: "Host: x\r\n" 9 + "X: " 3 + n + "\r\n" 2 + "\r" 1 = 15 + n.
        ("section of exactly 64 bytes", "GET / HTTP/1.1\r\nHost: x\r\nX: \(a(49))\r\n\r\n", DecodeOutcome.accepted(messages: 1, partial: false)),
        ("section of 65 bytes", "GET / HTTP/1.1\r\nHost: x\r\nX: \(a(50))\r\n\r\n", .rejected(status: 431, after: 0)),
        // Excess inside a field whose line has not ended: refused before its end arrives.
        ("field over the limit, unterminated", "GET / HTTP/1.1\r\nHost: x\r\nX: \(a(100))", .rejected(status: 431, after: 0)),
        ("field under the limit, unterminated", "GET / HTTP/1.1\r\nHost: x\r\nX: \(a(40))", .accepted(messages: 0, partial: true)),
        // The excess comes before the bare LF, so it is what is reported.
        ("field over the limit, then a bare LF", "GET / HTTP/1.1\r\nHost: x\r\nX: \(a(100))\n\r\n", .rejected(status: 431, after: 0)),
        ("bare LF within the limit", "GET / HTTP/1.1\r\nHost: x\r\nX: \(a(10))\n\r\n", .rejected(status: 400, after: 0)),
        ("bare CR within the limit", "GET / HTTP/1.1\r\nHost: x\r\nX: \(a(10))\ra\r\n\r\n", .rejected(status: 400, after: 0)),
        // Control bytes other than CR and LF take the byte-by-byte path; the field parser refuses them.
        ("control byte in a value", "GET / HTTP/1.1\r\nHost: x\r\nX: a\u{1}a\r\n\r\n", .rejected(status: 400, after: 0)),
        // A request line longer than 72 bytes with no end in sight: 414 when it
        // starts like a request line, 400 when it does not.
        ("endless target", "GET /\(a(100))", .rejected(status: 414, after: 0)),
        ("endless line that is no request line", "G@T /\(a(100))", .rejected(status: 400, after: 0)),
        ("request line not yet over its limit", "GET /\(a(60))", .accepted(messages: 0, partial: true)),
        ("two requests, the second over the limit", "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nX: \(a(100))", .rejected(status: 431, after: 1)),
    ] as [(String, String, DecodeOutcome)])
    func limitsHoldWhereverTheBytesAreCut(name: String, text: String, expected: DecodeOutcome) {
        let bytes = Array(text.utf8)
        #expect(decode(bytes, limits: Self.limits) == expected, "\(name), whole")
        for cut in 1..<bytes.count {
            #expect(decode(bytes, limits: Self.limits, splitAt: cut) == expected, "\(name), cut at \(cut)")
        }
    }
}
