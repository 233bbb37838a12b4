/// Interprets request-head lines (RFC 9112 §3 and §5, framing per §6). Strict where leniency has led to request smuggling:
/// anything ambiguous is rejected rather than guessed.
enum HeadParser {
    /// field-line = field-name ":" OWS field-value OWS
    static func parseField(_ line: UnsafeBufferPointer<UInt8>, into headers: inout HTTPHeaders) throws(HTTPParseError) {
        guard let first = line.first, !ByteClass.isOWS(first) else {
            throw .bad("obsolete line folding or whitespace before a field name")
        }
        guard let colon = line.firstIndex(of: ByteClass.colon) else {
            throw .bad("header field without a colon")
        }
        guard colon > 0 else { throw .bad("empty header field name") }
        for byte in line[..<colon] where !ByteClass.isTChar(byte) {
            throw .bad(byte == ByteClass.sp || byte == ByteClass.htab
                ? "whitespace between field name and colon"
                : "invalid character in header field name")
        }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, ByteClass.isOWS(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, ByteClass.isOWS(line[valueEnd - 1]) { valueEnd -= 1 }
        for byte in line[valueStart..<valueEnd] where !ByteClass.isFieldValueByte(byte) {
            throw .bad("control character in header field value")
        }
        headers.add(
            String(decoding: UnsafeBufferPointer(rebasing: line[..<colon]), as: UTF8.self),
            String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self)
        )
    }

    static func interpret(_ line: RequestLine, _ headers: HTTPHeaders, limits: ParserLimits) throws(HTTPParseError) -> RequestHead {
        var hostCount = 0
        var contentLengths: [Substring] = []
        var transferCodings: [Substring] = []
        var sawTransferEncoding = false
        var closeRequested = false
        var keepAliveRequested = false
        var expectations: [String] = []
        var singletonsSeen = 0  // bit i: singletonFields[i] (a handful of names, far under 64)

        for (name, value) in headers {
            switch name.utf8.count {
            case 4 where asciiCaseInsensitiveEquals(name, "host"):
                hostCount += 1
            case 8, 12, 13, 15:
                // Two credentials, media types or preconditions: which one a
                // layer acts on is a guess, and guesses differ between layers.
                guard let index = singletonFields.firstIndex(where: { asciiCaseInsensitiveEquals(name, $0) }) else { break }
                if singletonsSeen & (1 << index) != 0 { throw .bad("more than one \(singletonFields[index]) field") }
                singletonsSeen |= 1 << index
            case 6 where asciiCaseInsensitiveEquals(name, "expect"):
                expectations.append(value)
            case 10 where asciiCaseInsensitiveEquals(name, "connection"):
                for token in value.split(separator: ",") {
                    let option = token.trimmingOWS()
                    if asciiCaseInsensitiveEquals(option, "close") { closeRequested = true }
                    if asciiCaseInsensitiveEquals(option, "keep-alive") { keepAliveRequested = true }
                }
            case 14 where asciiCaseInsensitiveEquals(name, "content-length"):
                // "5, 5" is a legal list of one length (RFC 9110 §8.6).
                contentLengths.append(contentsOf: value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingOWS() })
            case 17 where asciiCaseInsensitiveEquals(name, "transfer-encoding"):
                sawTransferEncoding = true
                transferCodings.append(contentsOf: value.split(separator: ",").map { $0.trimmingOWS() }.filter { !$0.isEmpty })
            default:
                break
            }
        }

        if line.version == .http1_1, hostCount != 1 {
            throw .bad(hostCount == 0 ? "HTTP/1.1 request without Host" : "more than one Host field")
        }
        if hostCount > 1 { throw .bad("more than one Host field") }

        let framing: BodyFraming
        if sawTransferEncoding {
            guard contentLengths.isEmpty else { throw .bad("both Content-Length and Transfer-Encoding") }
            guard line.version == .http1_1 else { throw .bad("Transfer-Encoding in an HTTP/1.0 request") }
            guard transferCodings.count == 1, asciiCaseInsensitiveEquals(transferCodings[0], "chunked") else {
                throw .bad("unsupported Transfer-Encoding: only chunked is accepted")
            }
            framing = .chunked
        } else if let first = contentLengths.first {
            let length = try parseContentLength(first, limits: limits)
            for other in contentLengths.dropFirst() where try parseContentLength(other, limits: limits) != length {
                throw .bad("conflicting Content-Length values")
            }
            framing = length == 0 ? .none : .length(length)
        } else {
            framing = .none
        }

        // HTTP/1.0 peers cannot send 100-continue expectations (RFC 9110 §10.1.1).
        var expectsContinue = false
        if line.version == .http1_1 {
            for expectation in expectations {
                guard asciiCaseInsensitiveEquals(expectation, "100-continue") else {
                    throw HTTPParseError(.expectationFailed, "unsupported expectation")
                }
                expectsContinue = framing != .none
            }
        }

        return RequestHead(
            method: line.method,
            target: line.target,
            version: line.version,
            headers: headers,
            framing: framing,
            keepAlive: line.version == .http1_1 ? !closeRequested : (keepAliveRequested && !closeRequested),
            expectsContinue: expectsContinue
        )
    }

    /// Fields a request may carry once (besides Host, and Content-Length,
    /// which may repeat one value).
    static let singletonFields = ["If-Match", "Content-Type", "Authorization", "Idempotency-Key"]

    /// Content-Length = 1*DIGIT. A value above the body limit is refused with
    /// 413 before reading, however many digits it has.
    private static func parseContentLength(_ text: Substring, limits: ParserLimits) throws(HTTPParseError) -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .bad("invalid Content-Length")
        }
        var value = 0
        for digit in text.utf8 {
            value = value * 10 + Int(digit - 0x30)
            if value > limits.maxBodyBytes {
                throw HTTPParseError(.contentTooLarge, "body exceeds \(limits.maxBodyBytes) bytes")
            }
        }
        return value
    }
}

/// request-line = method SP request-target SP HTTP-version
struct RequestLine {
    let method: HTTPMethod
    let target: String
    let version: HTTPVersion

    static func parse(_ line: UnsafeBufferPointer<UInt8>, limits: ParserLimits) throws(HTTPParseError) -> RequestLine {
        guard let methodEnd = line.firstIndex(of: ByteClass.sp) else { throw .bad("malformed request line") }
        guard methodEnd > 0 else { throw .bad("empty method") }
        let methodBytes = UnsafeBufferPointer(rebasing: line[..<methodEnd])
        guard methodBytes.allSatisfy(ByteClass.isTChar) else { throw .bad("invalid character in method") }

        let targetStart = methodEnd + 1
        var targetEnd = targetStart
        while targetEnd < line.count, line[targetEnd] != ByteClass.sp {
            guard ByteClass.isTargetByte(line[targetEnd]) else { throw .bad("invalid character in request target") }
            targetEnd += 1
        }
        guard targetEnd > targetStart else { throw .bad("empty request target") }
        guard targetEnd < line.count else { throw .bad("missing HTTP version") }
        if targetEnd - targetStart > limits.maxRequestTargetBytes {
            throw HTTPParseError(.uriTooLong, "request target exceeds \(limits.maxRequestTargetBytes) bytes")
        }
        let version = try parseVersion(UnsafeBufferPointer(rebasing: line[(targetEnd + 1)...]))
        let targetBytes = UnsafeBufferPointer(rebasing: line[targetStart..<targetEnd])
        // Refused as soon as the line is complete: nothing after it matters.
        guard let method = HTTPMethod.from(methodBytes) else {
            throw HTTPParseError(.notImplemented, "method \(String(decoding: methodBytes, as: UTF8.self)) is not implemented")
        }
        try validateForm(targetBytes, method: method)
        return RequestLine(
            method: method,
            target: String(decoding: targetBytes, as: UTF8.self),
            version: version
        )
    }

    /// HTTP-version = "HTTP/" DIGIT "." DIGIT; well-formed but unsupported
    /// versions get 505, anything else is not HTTP.
    private static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        guard bytes.count == 8, bytes.prefix(5).elementsEqual("HTTP/".utf8), bytes[6] == UInt8(ascii: "."),
              let major = ByteClass.digitValue(bytes[5]), let minor = ByteClass.digitValue(bytes[7])
        else { throw .bad("malformed HTTP version") }
        switch (major, minor) {
        case (1, 1): return .http1_1
        case (1, 0): return .http1_0
        default: throw HTTPParseError(.httpVersionNotSupported, "HTTP/\(major).\(minor) is not supported")
        }
    }

    /// origin-form ("/path"), absolute-form ("http://host/path") and, for
    /// OPTIONS, asterisk-form ("*"). authority-form belongs to CONNECT, which
    /// is not implemented.
    private static func validateForm(_ target: UnsafeBufferPointer<UInt8>, method: HTTPMethod) throws(HTTPParseError) {
        if target[0] == UInt8(ascii: "/") { return }
        if target.count == 1, target[0] == UInt8(ascii: "*") {
            guard method == .OPTIONS else { throw .bad("asterisk-form target is only for OPTIONS") }
            return
        }
        let lowered = target.prefix(8).map(asciiLower)
        if lowered.starts(with: "http://".utf8) || lowered.starts(with: "https://".utf8) { return }
        throw .bad("request target is not in origin-form or absolute-form")
    }
}
