/// Decodes the chunked transfer coding (RFC 9112 §7.1) incrementally:
///
///     chunked-body = *chunk last-chunk trailer-section CRLF
///     chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
///     chunk-ext    = *( ";" chunk-ext-name [ "=" chunk-ext-val ] )
///
/// Strict: no whitespace around sizes or extensions (the "bad whitespace"
/// RFC 9112 tolerates is where parsers have disagreed), sizes of at most 16
/// hex digits, data followed by exactly CRLF. Trailers are validated like
/// header fields and discarded.
struct ChunkedDecoder {
    private enum State {
        case size
        case extensionName
        case extensionNameOrEnd
        case extensionValueStart
        case extensionToken
        case extensionQuoted
        case extensionQuotedPair
        case extensionAfterQuote
        case sizeLF
        case data
        case dataCR
        case dataLF
        case trailerLineStart
        case trailerName
        case trailerValue
        case trailerLF
        case endLF
        case done
    }

    private var state = State.size
    private var chunkSize = 0
    private var sizeDigits = 0
    private var remaining = 0
    private var extensionBytes = 0
    private var trailerBytes = 0
    private var trailerCount = 0

    var isDone: Bool { if case .done = state { return true } else { return false } }

    /// Consumes bytes, appending chunk data to `body`; returns how many bytes
    /// were consumed. Stops right after the final CRLF so pipelined requests
    /// stay in the buffer.
    mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, into body: inout [UInt8], limits: ParserLimits) throws(HTTPParseError) -> Int {
        var i = 0
        while i < bytes.count {
            if case .data = state {
                let take = min(remaining, bytes.count - i)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + take)]))
                remaining -= take
                i += take
                if remaining == 0 { state = .dataCR }
                continue
            }
            let byte = bytes[i]
            i += 1
            switch state {
            case .size:
                if let digit = ByteClass.hexValue(byte) {
                    sizeDigits += 1
                    guard sizeDigits <= 16 else { throw .bad("chunk size too long") }
                    chunkSize = chunkSize &* 16 &+ digit
                    if chunkSize < 0 || chunkSize > limits.maxBodyBytes - body.count {
                        throw HTTPParseError(.contentTooLarge, "body exceeds \(limits.maxBodyBytes) bytes")
                    }
                } else if sizeDigits == 0 {
                    throw .bad("invalid chunk size")
                } else if byte == ByteClass.semicolon {
                    state = .extensionName
                } else if byte == ByteClass.cr {
                    state = .sizeLF
                } else {
                    throw .bad("invalid character after chunk size")
                }
            case .extensionName, .extensionNameOrEnd, .extensionValueStart, .extensionToken, .extensionQuoted,
                 .extensionQuotedPair, .extensionAfterQuote:
                extensionBytes += 1
                guard extensionBytes <= limits.maxChunkExtensionBytes else { throw .bad("chunk extensions too long") }
                try decodeExtension(byte)
            case .sizeLF:
                guard byte == ByteClass.lf else { throw .bad("chunk size line not ended by CRLF") }
                if chunkSize == 0 {
                    state = .trailerLineStart
                } else {
                    remaining = chunkSize
                    state = .data
                }
            case .data:
                preconditionFailure("handled above")
            case .dataCR:
                guard byte == ByteClass.cr else { throw .bad("chunk data not followed by CRLF") }
                state = .dataLF
            case .dataLF:
                guard byte == ByteClass.lf else { throw .bad("chunk data not followed by CRLF") }
                chunkSize = 0
                sizeDigits = 0
                state = .size
            case .trailerLineStart, .trailerName, .trailerValue, .trailerLF:
                trailerBytes += 1
                guard trailerBytes <= limits.maxHeaderBytes else {
                    throw HTTPParseError(.requestHeaderFieldsTooLarge, "trailer section exceeds \(limits.maxHeaderBytes) bytes")
                }
                try decodeTrailer(byte, limits: limits)
            case .endLF:
                guard byte == ByteClass.lf else { throw .bad("chunked body not ended by CRLF") }
                state = .done
                return i
            case .done:
                return i - 1
            }
        }
        return i
    }

    private mutating func decodeExtension(_ byte: UInt8) throws(HTTPParseError) {
        switch state {
        case .extensionName:
            guard ByteClass.isTChar(byte) else { throw .bad("invalid chunk extension") }
            state = .extensionNameOrEnd
        case .extensionNameOrEnd:
            if ByteClass.isTChar(byte) { return }
            switch byte {
            case ByteClass.equals: state = .extensionValueStart
            case ByteClass.semicolon: state = .extensionName
            case ByteClass.cr: state = .sizeLF
            default: throw .bad("invalid chunk extension")
            }
        case .extensionValueStart:
            if byte == ByteClass.dquote {
                state = .extensionQuoted
            } else if ByteClass.isTChar(byte) {
                state = .extensionToken
            } else {
                throw .bad("invalid chunk extension value")
            }
        case .extensionToken:
            if ByteClass.isTChar(byte) { return }
            switch byte {
            case ByteClass.semicolon: state = .extensionName
            case ByteClass.cr: state = .sizeLF
            default: throw .bad("invalid chunk extension value")
            }
        case .extensionQuoted:
            if byte == ByteClass.dquote {
                state = .extensionAfterQuote
            } else if byte == ByteClass.backslash {
                state = .extensionQuotedPair
            } else if !ByteClass.isQuotedTextByte(byte) {
                throw .bad("invalid character in quoted chunk extension")
            }
        case .extensionQuotedPair:
            guard byte == ByteClass.htab || (byte >= 0x20 && byte != 0x7F) else {
                throw .bad("invalid quoted-pair in chunk extension")
            }
            state = .extensionQuoted
        case .extensionAfterQuote:
            switch byte {
            case ByteClass.semicolon: state = .extensionName
            case ByteClass.cr: state = .sizeLF
            default: throw .bad("invalid character after quoted chunk extension")
            }
        default:
            preconditionFailure("not an extension state")
        }
    }

    private mutating func decodeTrailer(_ byte: UInt8, limits: ParserLimits) throws(HTTPParseError) {
        switch state {
        case .trailerLineStart:
            if byte == ByteClass.cr {
                state = .endLF
                return
            }
            guard ByteClass.isTChar(byte) else {
                throw .bad(ByteClass.isOWS(byte) ? "obsolete line folding in trailer" : "invalid trailer field name")
            }
            trailerCount += 1
            guard trailerCount <= limits.maxHeaderCount else {
                throw HTTPParseError(.requestHeaderFieldsTooLarge, "more than \(limits.maxHeaderCount) trailer fields")
            }
            state = .trailerName
        case .trailerName:
            if byte == ByteClass.colon {
                state = .trailerValue
            } else if !ByteClass.isTChar(byte) {
                throw .bad("invalid trailer field name")
            }
        case .trailerValue:
            if byte == ByteClass.cr {
                state = .trailerLF
            } else if !ByteClass.isFieldValueByte(byte) {
                throw .bad("control character in trailer field value")
            }
        case .trailerLF:
            guard byte == ByteClass.lf else { throw .bad("trailer line not ended by CRLF") }
            state = .trailerLineStart
        default:
            preconditionFailure("not a trailer state")
        }
    }
}
