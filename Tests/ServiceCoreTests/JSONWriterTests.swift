import Foundation
import ServiceCore
import ServiceJSON
import Testing

@Suite struct JSONWriterTests {
    private func text(_ body: (inout JSONWriter) -> Void) -> String {
        String(decoding: JSONWriter.bytes(body), as: UTF8.self)
    }

    /// Strings joined by a separator byte (a contract's serials) are written
    /// exactly as `member(_:strings:)` writes the same strings, escapes included.
    @Test(arguments: [
        [], ["SC00000001"], ["A", "B", "C"], ["", "x", ""], ["quo\"te", "back\\slash", "tab\t", "nul\u{0}", "ctl\u{1F}x"],
        ["é", "日本", "plain-12345678901234567890"],
        // One string to escape after many that need none: the plain text written so far is taken back.
        (0..<500).map { "SN\($0)" } + ["late\"quote"], ["a", "", "b\n"],
    ] as [[String]])
    func joinedStringsAreWrittenLikeAnArrayOfStrings(strings: [String]) {
        var joined: [UInt8] = []
        var ends: [Int] = []
        for string in strings {
            if !ends.isEmpty { joined.append(0x1F) }
            joined.append(contentsOf: string.utf8)
            ends.append(joined.count)
        }
        let expected = text { json in json.object { json in json.member("id", "c"); json.member("serials", strings: strings); json.member("n", 1) } }
        let written = text { json in
            json.object { json in
                json.member("id", "c")
                joined.withUnsafeBufferPointer { json.member("serials", joinedStrings: $0, ends: ends) }
                json.member("n", 1)
            }
        }
        #expect(written == expected)
    }

    @Test func membersAndElementsAreSeparatedByCommasAtEveryDepth() {
        let written = text { json in
            json.object { json in
                json.member("id", "con_1")
                json.member("count", 3)
                json.member("ended", nil as String?)
                json.member("active", true)
                json.member("limit", nil as Int?)
                json.member("serials", strings: ["A", "B"])
                json.member("empty", strings: [])
                json.member("prepaid") { json in
                    json.member("amount_minor", -1_250)
                    json.member("currency", "NOK")
                }
                json.key("history")
                json.array([1, 2]) { json, n in json.object { $0.member("n", n) } }
                json.member("detail", JSONValue.object([("a", .array([.null, .bool(false)]))]))
                json.member("term", 7 as Int?) { json, n in json.member("n", n) }
                json.member("pack", nil as Int?) { json, n in json.member("n", n) }
            }
        }
        #expect(written == #"{"id":"con_1","count":3,"ended":null,"active":true,"limit":null,"serials":["A","B"],"empty":[],"#
            + #""prepaid":{"amount_minor":-1250,"currency":"NOK"},"history":[{"n":1},{"n":2}],"detail":{"a":[null,false]},"#
            + #""term":{"n":7},"pack":null}"#)
    }

    /// Names and plain strings of every length the short copies handle
    /// differently (none, 1-3, 4-7, 8-15, 16-32 bytes, and longer) arrive
    /// whole, next to their neighbours, nothing written past them.
    @Test func namesAndStringsOfEveryShortLengthAreWrittenWhole() {
        let strings = (0...40).map { length in String((0..<length).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) }) }
        let written = text { json in
            json.object { json in
                json.member("a", 1)
                json.member("abc", 3)
                json.member("abcd", 4)
                json.member("abcdefg", 7)
                json.member("abcdefgh", 8)
                json.member("abcdefghijklmno", 15)
                json.member("abcdefghijklmnop", 16)
                json.member("abcdefghijklmnopqrstuvwxyzabcdef", 32)
                json.member("abcdefghijklmnopqrstuvwxyzabcdefg", 33)
                json.key("é")  // one scalar: a literal with no pointer
                json.array(strings) { $0.string($1) }
            }
        }
        let expected = #"{"a":1,"abc":3,"abcd":4,"abcdefg":7,"abcdefgh":8,"abcdefghijklmno":15,"abcdefghijklmnop":16,"#
            + #""abcdefghijklmnopqrstuvwxyzabcdef":32,"abcdefghijklmnopqrstuvwxyzabcdefg":33,"é":["#
            + strings.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
        #expect(written == expected)
    }

    /// Enumerations are written as their raw values without the escape
    /// check, absent ones as `null`, separated like every other member;
    /// `false` and `null` are written as literals.
    @Test func enumerationsAreWrittenAsTheirRawValues() {
        let written = text { json in
            json.object { json in
                json.member("state", ServiceRequest.State.on_hold)
                json.member("cause", nil as ServiceRequest.Cause?)
                json.member("tier", TierID.premium as TierID?)
                json.member("billable", false)
                json.key("events")
                json.array([ServiceRequest.EventType.respond, .close]) { json, type in json.object { $0.member("type", type) } }
            }
        }
        #expect(written == #"{"state":"on_hold","cause":null,"tier":"premium","billable":false,"events":[{"type":"respond"},{"type":"close"}]}"#)
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("quote \" and \\ backslash", #""quote \" and \\ backslash""#),
        ("line\nfeed\ttab\r", #""line\nfeed\ttab\r""#),
        ("\u{01}control\u{1F}", #""\u0001control\u001f""#),
        ("Ålesund – ø", "\"Ålesund – ø\""),
    ])
    func stringsAreEscapedAsTheTreeEscapesThem(input: String, expected: String) {
        #expect(text { $0.string(input) } == expected)
        #expect(JSONValue.string(input).encoded() == expected)
    }

    /// Text is checked for bytes to escape eight at a time, then the rest
    /// one by one: every byte JSON escapes, and the bytes next to them in
    /// value, at every position of strings from 0 to 19 bytes long, agree
    /// with escaping by hand.
    @Test func everyByteToEscapeIsFoundWhereverItSitsInTheText() {
        func byHand(_ bytes: [UInt8]) -> String {
            "\"" + bytes.map { byte -> String in
                switch byte {
                case 0x22: return "\\\""
                case 0x5C: return "\\\\"
                case 0x0A: return "\\n"
                case 0x0D: return "\\r"
                case 0x09: return "\\t"
                case 0x00..<0x20: return String(format: "\\u%04x", Int(byte))
                default: return String(decoding: [byte], as: UTF8.self)
                }
            }.joined() + "\""
        }
        let specials: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x22, 0x5C]
        let neighbours: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F]
        for length in 0..<20 {
            let plain = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            #expect(text { $0.string(String(decoding: plain, as: UTF8.self)) } == byHand(plain))
            for position in 0..<length {
                for byte in specials + neighbours {
                    var bytes = plain
                    bytes[position] = byte
                    let input = String(decoding: bytes, as: UTF8.self)
                    #expect(text { $0.string(input) } == byHand(bytes), "byte \(byte) at \(position) of \(length)")
                    var line = ""  // the log lines' writer
                    JSONValue.writeString(input, to: &line)
                    #expect(line == byHand(bytes), "log line: byte \(byte) at \(position) of \(length)")
                }
            }
        }
        // Bytes of multi-byte characters (0x80 and up) next to a quote must not hide it, nor be taken for one.
        #expect(text { $0.string("ØØØ\"ÅÅÅ") } == "\"ØØØ\\\"ÅÅÅ\"")
        #expect(text { $0.string("ØØØØØØØØ") } == "\"ØØØØØØØØ\"")
        #expect(text { $0.string("ÅÅÅ\u{01}ÅÅ") } == "\"ÅÅÅ\\u0001ÅÅ\"")
    }

    @Test func aWrittenValueSitsInATreeAsItWasWritten() {
        let contract = JSONValue.written { json in json.object { $0.member("id", "con_1") } }
        #expect(JSONValue.array([contract, .int(2)]).encoded() == #"[{"id":"con_1"},2]"#)
    }

    @Test func instantsAndDatesAreWrittenInPlace() {
        let written = text { json in
            json.object { json in
                json.member("epoch", Date(timeIntervalSince1970: 0) as Date?)
                json.member("none", nil as Date?)
                json.member("day", LocalDate("2026-03-29"))
            }
        }
        #expect(written == #"{"epoch":"1970-01-01T00:00:00Z","none":null,"day":"2026-03-29"}"#)
    }

    /// A year without four digits is written as `format` writes it (the
    /// comma before it stays when the in-place write gives way to the
    /// string); the last four-digit day in place.
    @Test func aYearBeyondFourDigitsIsWrittenAsItsString() {
        // 10000-01-01T01:01:01Z, worked out in RFC3339FormatTests.
        let far = Date(timeIntervalSince1970: 253_402_304_461)
        let written = text { json in
            json.object { json in
                json.member("n", 1)
                json.member("far", far as Date?)
                json.member("day", LocalDate(year: 9_999, month: 12, day: 31))
            }
        }
        #expect(written == #"{"n":1,"far":"10000-1-1T01:01:01Z","day":"9999-12-31"}"#)
    }

    /// Integers at their limits as written by hand, and a text far beyond
    /// the writer's first capacity read the same as the tree writes it.
    @Test func integersAndLongTextReadAsTheTreeWritesThem() {
        let numbers = [0, 7, -1, 10, -10, 1_234_567_890, Int.max, Int.min]
        let expected = "[0,7,-1,10,-10,1234567890,9223372036854775807,-9223372036854775808]"
        #expect(text { json in json.array(numbers) { $0.int($1) } } == expected)
        #expect(JSONValue.array(numbers.map(JSONValue.int)).encoded() == expected)
        let names = (0..<2_000).map { "name \($0) \"quoted\"" }
        let tree = JSONValue.array(names.map { .object([("name", .string($0)), ("ok", .bool(true)), ("none", .null)]) })
        let written = String(decoding: JSONWriter.bytes(capacity: 1) { json in
            json.array(names) { json, name in
                json.object { json in
                    json.member("name", name)
                    json.member("ok", true)
                    json.member("none", nil as Int?)
                }
            }
        }, as: UTF8.self)
        #expect(written == tree.encoded())
    }
}

@Suite struct RFC3339FormatTests {
    // Seconds since 1970 worked out by hand: 2024-02-29 is day 19 782 (54 years of
    // 365 days, 13 leap days 1972-2020, then 31 + 28 days of 2024), 19 782 x 86 400 = 1 709 164 800.
    // 13:05:09.999 is 47 109.999 s into the day, 23:59:59 is 86 399 s.
    static let cases: [(Double, String)] = [
        (0, "1970-01-01T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (1_709_164_800, "2024-02-29T00:00:00Z"),
        (1_709_211_909.999, "2024-02-29T13:05:09Z"),
        (1_709_251_199, "2024-02-29T23:59:59Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
        // 2000-01-01T00:00:00Z is 946 684 800 (10 957 days: 30 years of 365 and 7 leap days 1972-1996).
        (946_684_799, "1999-12-31T23:59:59Z"),
        (946_684_800 + 10 * 3_600 + 20 * 60 + 30, "2000-01-01T10:20:30Z"),
        // Before 1970 an instant belongs to the day before its division by 86 400 rounds to.
        (-86_400, "1969-12-31T00:00:00Z"),
        (-86_401, "1969-12-30T23:59:59Z"),
        (-0.5, "1969-12-31T23:59:59Z"),
    ]

    @Test(arguments: cases)
    func instantsAreWrittenInUTCWithWholeSeconds(seconds: Double, expected: String) {
        let instant = Date(timeIntervalSince1970: seconds)
        #expect(RFC3339.format(instant) == expected)
        let written = JSONWriter.bytes { json in json.object { $0.member("at", instant as Date?) } }
        #expect(String(decoding: written, as: UTF8.self) == #"{"at":""# + expected + #""}"#)
        #expect(RFC3339.parse(expected).map { $0.timeIntervalSince1970.rounded(.down) } == seconds.rounded(.down))
    }

    // 2026-01-01 is day 20 454 (56 years of 365 days and 14 leap days 1972-2024): 1 767 225 600 s; 10:00 is 36 000 s later.
    @Test(arguments: [
        ("2026-01-01T10:00:00Z", 1_767_261_600.0),
        ("2026-01-01t10:00:00z", 1_767_261_600.0),
        ("2026-01-01T11:30:00+01:30", 1_767_261_600.0),
        ("2026-01-01T10:00:00.5Z", 1_767_261_600.5),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
    ] as [(String, Double)])
    func instantsAreReadInTheStoredFormAndTheOthers(text: String, seconds: Double) {
        #expect(RFC3339.parse(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: [
        "2026-02-30T10:00:00Z", "2025-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-00-01T10:00:00Z", "2026-01-00T10:00:00Z",
        "2026-01-01T24:00:00Z", "2026-01-01T10:60:00Z", "2026-01-01T10:00:60Z", "2026-1-01T10:00:00Z", "2026-01-01T1a:00:00Z",
        "2026-01-01T10:00:0aZ", "2026-01-01 10:00:00Z", "2026-01-01T10:00:00", "2026-01-01T10:00:00Z ", " 2026-01-01T10:00:00Z",
        "2026-01-01T10-00:00Z", "0000-01-01T10:00:00Z", "",
        // The bytes either side of the digits, in the stored form's fields.
        "2026-01-01T1:00:00Z", "2026-01-01T10:/0:00Z", "2026-01-01T10:00:5:Z", "2026-01-0:T10:00:00Z", "2:26-01-01T10:00:00Z",
    ])
    func malformedInstantsAreRefused(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func aYearBeyondFourDigitsIsWrittenUnpadded() {
        // 10000-01-01 is 253 402 300 800 seconds after 1970 (one second after the last case above); 3 661 s later is 01:01:01.
        #expect(RFC3339.format(Date(timeIntervalSince1970: 253_402_304_461)) == "10000-1-1T01:01:01Z")
    }
}
