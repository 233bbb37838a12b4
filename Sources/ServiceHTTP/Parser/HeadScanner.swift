/// Parses a request head incrementally, line by line as lines complete, so a
/// head that arrives a byte at a time is scanned once and a bad line is
/// refused as soon as it ends rather than when the head does. Line rules are
/// enforced on every byte: each LF preceded by CR, each CR followed by LF.
struct HeadScanner {
    enum Outcome {
        case needMore
        /// The head, and one past its final empty line (relative to the
        /// scanned buffer's start).
        case complete(RequestHead, headEnd: Int)
    }

    private var scanned = 0
    private var lineStart = 0
    private var requestLineStart = 0
    private var fieldsStart = 0
    private var requestLine: RequestLine?
    private var headers = HTTPHeaders()

    mutating func reset() { self = HeadScanner() }

    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, limits: ParserLimits) throws(HTTPParseError) -> Outcome {
        let end = bytes.count
        var i = scanned
        defer { scanned = i }
        while i < end {
            let byte = bytes[i]
            if byte > ByteClass.cr {
                // A run of bytes that are neither CR nor LF (both below 14)
                // is skipped in a tight loop: the per-byte walk below was a
                // third of decoding a head. Lengths only grow within the
                // run, so checking them at its end throws exactly when the
                // walk would have.
                i += 1
                while i < end, bytes[i] > ByteClass.cr { i += 1 }
                try checkLength(upTo: i, bytes, limits: limits)
                continue
            }
            if byte == ByteClass.lf {
                guard i > 0, bytes[i - 1] == ByteClass.cr else {
                    throw .bad("line ending without CR (bare LF)")
                }
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<(i - 1)])
                i += 1
                lineStart = i
                if let requestLine {
                    if line.isEmpty {
                        return .complete(try HeadParser.interpret(requestLine, headers, limits: limits), headEnd: i)
                    }
                    try HeadParser.parseField(line, into: &headers)
                    if headers.count > limits.maxHeaderCount {
                        throw HTTPParseError(.requestHeaderFieldsTooLarge, "more than \(limits.maxHeaderCount) header fields")
                    }
                } else if line.isEmpty {
                    // RFC 9112 §2.2: empty lines before the request line are
                    // ignored, within the same size budget as the head.
                    requestLineStart = i
                    if requestLineStart > limits.maxHeaderBytes { throw .bad("too many empty lines before the request line") }
                } else {
                    requestLine = try RequestLine.parse(line, limits: limits)
                    fieldsStart = i
                }
                continue
            }
            if byte == ByteClass.cr {
                if i + 1 == end { break }  // decide once the next byte is here
                if bytes[i + 1] != ByteClass.lf { throw .bad("CR not followed by LF (bare CR)") }
            }
            i += 1
            try checkLength(upTo: i, bytes, limits: limits)
        }
        return .needMore
    }

    /// The head read up to `end` (exclusive) must fit the limits: the request
    /// line its own, the header section after it `maxHeaderBytes`.
    @inline(__always)
    private func checkLength(upTo end: Int, _ bytes: UnsafeBufferPointer<UInt8>, limits: ParserLimits) throws(HTTPParseError) {
        if requestLine != nil {
            if end - fieldsStart > limits.maxHeaderBytes {
                throw HTTPParseError(.requestHeaderFieldsTooLarge, "header section exceeds \(limits.maxHeaderBytes) bytes")
            }
        } else if end - requestLineStart > limits.maxRequestTargetBytes + Self.requestLineOverhead {
            throw Self.overlongRequestLine(UnsafeBufferPointer(rebasing: bytes[requestLineStart..<end]))
        }
    }

    /// Room for the method, two spaces and the version around a target of the
    /// maximum length.
    static let requestLineOverhead = 32

    /// A request line that never ends is 414 when it is plainly a method
    /// followed by an endless target, and 400 when it is not a request line.
    private static func overlongRequestLine(_ line: UnsafeBufferPointer<UInt8>) -> HTTPParseError {
        if let space = line.prefix(requestLineOverhead).firstIndex(of: ByteClass.sp), space > 0,
           line[..<space].allSatisfy(ByteClass.isTChar) {
            return HTTPParseError(.uriTooLong, "request target exceeds the limit")
        }
        return .bad("request line too long or malformed")
    }
}
