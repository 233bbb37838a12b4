@testable import ServiceHTTP

/// What a decoder made of a byte string, fed whole or split at every offset.
enum DecodeOutcome: Equatable {
    /// Messages completed, and whether bytes of an unfinished one remain.
    case accepted(messages: Int, partial: Bool)
    /// Rejected with a status after this many complete messages.
    case rejected(status: Int, after: Int)
}

func decode(_ bytes: [UInt8], limits: ParserLimits = ParserLimits(), splitAt: Int? = nil) -> DecodeOutcome {
    var decoder = RequestDecoder(limits: limits)
    var messages = 0
    let pieces: [ArraySlice<UInt8>]
    if let splitAt, splitAt > 0, splitAt < bytes.count {
        pieces = [bytes[..<splitAt], bytes[splitAt...]]
    } else {
        pieces = [bytes[...]]
    }
    do {
        for piece in pieces {
            decoder.append(Array(piece))
            while let event = try decoder.next() {
                if case .message = event { messages += 1 }
            }
        }
    } catch {
        return .rejected(status: error.status.code, after: messages)
    }
    return .accepted(messages: messages, partial: decoder.isMidMessage)
}

func decode(_ text: String, limits: ParserLimits = ParserLimits()) -> DecodeOutcome {
    decode(Array(text.utf8), limits: limits)
}

func messages(_ text: String) throws -> [(RequestHead, [UInt8])] {
    var decoder = RequestDecoder()
    decoder.append(Array(text.utf8))
    var out: [(RequestHead, [UInt8])] = []
    while let event = try decoder.next() {
        if case let .message(head, body) = event { out.append((head, body)) }
    }
    return out
}
