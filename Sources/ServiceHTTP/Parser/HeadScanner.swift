/// Finds the end of a request head incrementally, so a head that arrives a
/// byte at a time is scanned once, not once per read. It enforces the line
/// rules that must hold before anything is interpreted: every LF preceded by
/// CR, every CR followed by LF, and the size limits.
struct HeadScanner {
    enum Outcome: Equatable {
        case needMore
        /// Offsets relative to the scanned buffer's start: where the request
        /// line starts (after tolerated leading empty lines) and one past the
        /// empty line that ends the head.
        case complete(requestLineStart: Int, headEnd: Int)
    }

    private var scanned = 0
    private var lineStart = 0
    private var requestLineStart = 0
    private var fieldsStart: Int?

    mutating func reset() { self = HeadScanner() }

    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, limits: ParserLimits) throws(HTTPParseError) -> Outcome {
        let end = bytes.count
        var i = scanned
        defer { scanned = i }
        while i < end {
            let byte = bytes[i]
            if byte == ByteClass.lf {
                guard i > 0, bytes[i - 1] == ByteClass.cr else {
                    throw .bad("line ending without CR (bare LF)")
                }
                let lineIsEmpty = i - 1 == lineStart
                if let fieldsStart {
                    if lineIsEmpty {
                        i += 1
                        _ = fieldsStart
                        return .complete(requestLineStart: requestLineStart, headEnd: i)
                    }
                } else if lineIsEmpty {
                    // RFC 9112 §2.2: empty lines before the request line are
                    // ignored, within the same size budget as the head.
                    requestLineStart = i + 1
                    if requestLineStart > limits.maxHeaderBytes { throw .bad("too many empty lines before the request line") }
                } else {
                    fieldsStart = i + 1
                }
                lineStart = i + 1
            } else if byte == ByteClass.cr {
                if i + 1 == end { break }  // decide once the next byte is here
                if bytes[i + 1] != ByteClass.lf { throw .bad("CR not followed by LF (bare CR)") }
            }
            i += 1
            if let fieldsStart {
                if i - fieldsStart > limits.maxHeaderBytes {
                    throw HTTPParseError(.requestHeaderFieldsTooLarge, "header section exceeds \(limits.maxHeaderBytes) bytes")
                }
            } else if i - requestLineStart > limits.maxRequestTargetBytes + Self.requestLineOverhead {
                throw Self.overlongRequestLine(UnsafeBufferPointer(rebasing: bytes[requestLineStart..<i]))
            }
        }
        return .needMore
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
