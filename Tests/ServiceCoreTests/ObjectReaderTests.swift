import Foundation
import ServiceJSON
import Testing
@testable import ServiceCore

@Suite struct ObjectReaderTests {
    static func read(_ json: String, _ body: (ObjectReader) -> Void) throws -> [String: String] {
        let issues = ValidationIssues()
        let reader = try #require(ObjectReader(try JSONParser.parse(json), issues: issues))
        body(reader)
        return Dictionary(issues.list.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
    }

    /// Array elements follow the same rule as single string fields.
    @Test func stringArrayElementsAreCheckedLikeStrings() throws {
        var serials: [String]?
        let issues = try Self.read(#"{"s": [" ok ", "", 7, "a\u0001b", "\#(String(repeating: "x", count: 65))", "SN-2"]}"#) {
            serials = $0.stringArray("s", maxLength: 64)
        }
        #expect(serials == nil)
        #expect(issues == [
            "s[1]": "must not be empty", "s[2]": "must be a string, got an integer",
            "s[3]": "must not contain control characters", "s[4]": "must be at most 64 characters",
        ])
        var clean: [String]?
        #expect(try Self.read(#"{"s": [" ok ", "SN-2"]}"#) { clean = $0.stringArray("s") }.isEmpty)
        #expect(clean == ["ok", "SN-2"])
    }

    /// Lengths are Unicode code points, as the document's maxLength counts
    /// them, after trimming surrounding whitespace: "é" written as e and a
    /// combining acute is one grapheme but two code points.
    @Test func lengthsAreCodePointsAfterTrimming() throws {
        let decomposed = String(repeating: "e\u{301}", count: 3)  // 3 graphemes, 6 code points
        #expect(decomposed.count == 3 && decomposed.unicodeScalars.count == 6)
        var value: String?
        #expect(try Self.read(#"{"s": "\#(decomposed)"}"#) { value = $0.string("s", maxLength: 5) } == ["s": "must be at most 5 characters"])
        #expect(value == nil)
        #expect(try Self.read(#"{"s": "  \#(decomposed)  "}"#) { value = $0.string("s", maxLength: 6) }.isEmpty)
        #expect(value == decomposed)
    }

    /// JSON has one number type: an integral number is an integer however it
    /// is written, and one beyond 64 bits is out of range, not malformed.
    /// Every element is read with its own path, unknown members refused;
    /// one bad element makes the whole array nil.
    @Test func objectArrayElementsAreReadWithTheirPaths() throws {
        var read: [Int]?
        let issues = try Self.read(#"{"lines": [{"n": 1}, {"n": "two"}, 3, {"n": 4, "x": 0}]}"#) { body in
            read = body.objectArray("lines") { $0.int("n") }
        }
        #expect(read == nil)
        #expect(issues == ["lines[1].n": "must be an integer, got a string", "lines[2]": "must be a JSON object", "lines[3].x": "unknown field"])
        #expect(try Self.read(#"{"lines": [{"n": 1}, {"n": 2}]}"#) { read = $0.objectArray("lines") { $0.int("n") } }.isEmpty)
        #expect(read == [1, 2])
    }

    @Test func integersWrittenAsIntegralNumbers() throws {
        var values: [Int?] = []
        let issues = try Self.read(#"{"a": 2026.0, "b": 2.026e3, "c": -0.0, "d": 2026.5, "e": 99999999999999999999, "f": 1e2, "g": 7}"#) { reader in
            values = ["a", "b", "c", "d", "e", "f", "g"].map { reader.int($0, range: 0...1_000) }
        }
        #expect(values == [nil, nil, 0, nil, nil, 100, 7])
        #expect(issues == [
            "a": "must be between 0 and 1000", "b": "must be between 0 and 1000",
            "d": "must be an integer, got a number", "e": "must be between 0 and 1000",
        ])
        var year: Int?
        #expect(try Self.read(#"{"year": 2026.0}"#) { year = $0.int("year") }.isEmpty)
        #expect(year == 2026)
    }

    /// Within the skew allowance an instant is taken as now; a meter reading
    /// keeps the instant it was sent with; beyond the allowance both refuse.
    @Test func instantsAheadOfTheClock() throws {
        let now = try #require(RFC3339.parse("2026-06-01T12:00:00Z"))
        var clamped: Date?, asSent: Date?
        #expect(try Self.read(#"{"at": "2026-06-01T14:00:30+02:00"}"#) {
            clamped = $0.pastInstant("at", now: now)
            asSent = $0.pastInstantAsSent("at", now: now)
        }.isEmpty)
        #expect(clamped == now)
        #expect(asSent == now.addingTimeInterval(30))
        let late = try Self.read(#"{"at": "2026-06-01T12:01:01Z"}"#) { _ = $0.pastInstant("at", now: now) }
        #expect(late == ["at": "must not be in the future"])
        let ancient = try Self.read(#"{"at": "0001-01-01T00:00:00Z"}"#) { _ = $0.pastInstant("at", now: now) }
        #expect(ancient == ["at": "must not be before 2000-01-01"])
        #expect(try Self.read(#"{"at": "2026-06-01T11:00:00Z"}"#) { clamped = $0.pastInstant("at", now: now) }.isEmpty)
        #expect(clamped == now.addingTimeInterval(-3_600))
    }
}
