import Foundation
import Testing
@testable import ServiceHTTP

/// llhttp's strict verdicts, replayed against our decoder.
@Suite struct LLHTTPVectorTests {
    struct Vector: Decodable, CustomTestStringConvertible, Sendable {
        let file: String
        let name: String
        let raw_hex: String
        let llhttp_error: Bool
        var testDescription: String { "\(file): \(name)" }
        var bytes: [UInt8] {
            var out: [UInt8] = []
            var index = raw_hex.startIndex
            while index < raw_hex.endIndex {
                let next = raw_hex.index(index, offsetBy: 2)
                out.append(UInt8(raw_hex[index..<next], radix: 16)!)
                index = next
            }
            return out
        }

        /// The first request's method, if the vector starts with a token and a space.
        var method: String? {
            let text = String(decoding: bytes, as: UTF8.self).drop { $0 == "\r" || $0 == "\n" }
            guard let space = text.firstIndex(of: " ") else { return nil }
            let token = text[..<space]
            return token.allSatisfy { $0.isLetter || $0 == "-" } ? String(token) : nil
        }

        /// llhttp's suite omits Host, which RFC 9112 §3.2 requires of
        /// HTTP/1.1 requests and which we enforce: add it to every request
        /// line of a vector that has none, so the rest is still compared.
        var bytesWithHost: [UInt8] {
            let text = String(decoding: bytes, as: UTF8.self)
            guard !text.lowercased().contains("\r\nhost:") else { return bytes }
            return Array(text.replacingOccurrences(of: "HTTP/1.1\r\n", with: "HTTP/1.1\r\nHost: vector.test\r\n").utf8)
        }
    }

    static let vectors: [Vector] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/llhttp-vectors.json")
        return (try? JSONDecoder().decode([Vector].self, from: Data(contentsOf: url))) ?? []
    }()

    @Test func vectorsLoaded() {
        #expect(Self.vectors.count == 118)
    }

    /// A vector llhttp accepts must not be rejected; one it rejects must be
    /// rejected, at the latest once its unfinished head is finished (llhttp
    /// reacts per byte, we per line), and must never yield a message llhttp
    /// would not have produced.
    @Test(arguments: vectors)
    func verdictMatchesLLHTTP(_ vector: Vector) {
        if let expected = Self.deviations[vector.name] {
            #expect(decode(vector.bytesWithHost) == expected.outcome, "\(expected.reason)")
            return
        }
        if let method = vector.method, HTTPMethod(rawValue: method) == nil {
            // Outside the API's method set: 501 as soon as the request line ends.
            #expect(decode(vector.bytesWithHost) == .rejected(status: 501, after: 0))
            return
        }
        if vector.llhttp_error {
            let outcome = decode(vector.bytes)
            let finished = decode(vector.bytes + Array("\r\n\r\n".utf8))
            guard case .rejected(_, let served) = finished else {
                Issue.record("accepted what llhttp rejects: \(outcome), finished: \(finished)")
                return
            }
            #expect(served == Self.servedBeforeError[vector.name, default: 0])
            if case .accepted(let messages, _) = outcome {
                #expect(messages == served)
            }
        } else {
            let outcome = decode(vector.bytesWithHost)
            if case .rejected = outcome {
                Issue.record("rejected what llhttp accepts: \(outcome)")
            }
        }
    }

    /// Every split point gives the same verdict as the whole.
    @Test(arguments: vectors)
    func verdictIndependentOfSplit(_ vector: Vector) {
        let bytes = vector.bytesWithHost
        let whole = decode(bytes)
        for split in 1..<bytes.count {
            let outcome = decode(bytes, splitAt: split)
            #expect(outcome == whole, "split at \(split)")
            if outcome != whole { return }
        }
    }

    /// Vectors where llhttp's error follows complete, valid messages.
    static let servedBeforeError: [String: Int] = [
        "No restart when keep-alive is off (1.0)": 1,
        "CRLF between requests, implicit `keep-alive`": 1,
        "Missing CR between headers": 0,
        "Spaces before headers": 0,
    ]

    struct Deviation {
        let outcome: DecodeOutcome
        let reason: String
    }

    /// Where we deliberately differ from llhttp, and why.
    static let deviations: [String: Deviation] = [
        "POST with `chunked` as last transfer-encoding": Deviation(
            outcome: .rejected(status: 400, after: 0), reason: "only a lone `chunked` coding is accepted; no content codings"),
        "POST with `chunked` as last transfer-encoding (multiple headers)": Deviation(
            outcome: .rejected(status: 400, after: 0), reason: "only a lone `chunked` coding is accepted; no content codings"),
        "OPTIONS request with RTSP": Deviation(outcome: .rejected(status: 400, after: 0), reason: "only HTTP is spoken, not RTSP"),
        "ANNOUNCE request with RTSP": Deviation(outcome: .rejected(status: 400, after: 0), reason: "only HTTP is spoken, not RTSP"),
        "SOURCE request with ICE": Deviation(outcome: .rejected(status: 400, after: 0), reason: "only HTTP is spoken, not ICE"),
        "No HTTP version": Deviation(outcome: .rejected(status: 400, after: 0), reason: "HTTP/0.9 simple requests are not accepted"),
        "CRLF between requests, explicit `close`": Deviation(
            outcome: .rejected(status: 400, after: 1), reason: "the vector's second request is markdown text with bare lines"),
    ]
}
