import Testing
import ServiceJSON

@Suite struct JSONParserTests {
    @Test func parsesValuesKeepingIntegersAndOrder() throws {
        let value = try JSONParser.parse(#" {"b": 1, "a": [true, false, null, -0.5, 1e3, "x\u00e9\ud83d\udda8\n"], "c": {}} "#)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["b", "a", "c"])
        #expect(value["b"].map { if case .int(1) = $0 { true } else { false } } == true)
        #expect(value.encoded() == #"{"b":1,"a":[true,false,null,-0.5,1000.0,"xé🖨\n"],"c":{}}"#)
    }

    /// Small objects are checked by a scan, larger ones by a set: a repeat
    /// must be caught wherever it falls, the switch-over included.
    @Test(arguments: [2, 15, 16, 17, 40])
    func duplicateKeysAreRejectedInObjectsOfAnySize(_ size: Int) throws {
        let keys = (1...size).map { "\"k\($0)\": \($0)" }
        #expect(throws: Never.self) { try JSONParser.parse("{" + keys.joined(separator: ",") + "}") }
        for repeated in [1, size] {
            #expect(throws: JSONParser.Failure.self, "k\(repeated) again after \(size) keys") {
                try JSONParser.parse("{" + keys.joined(separator: ",") + ", \"k\(repeated)\": 0}")
            }
        }
    }

    @Test func writesEscapesAndIntegersExactly() throws {
        let text = "q\"b\\n\nr\rt\t\u{01}\u{1F}é🖨/"
        let value = JSONValue.object([("s", .string(text)), ("n", .array([.int(0), .int(-7), .int(Int.max), .int(Int.min)]))])
        #expect(value.encoded() == #"{"s":"q\"b\\n\nr\rt\t\u0001\u001fé🖨/","n":[0,-7,9223372036854775807,-9223372036854775808]}"#)
        // What is written reads back as the same value.
        #expect(try JSONParser.parse(value.encoded())["s"].map { if case .string(text) = $0 { true } else { false } } == true)
        var log = ""
        JSONValue.writeString(text, to: &log)
        JSONValue.writeString("plain", to: &log)
        #expect(log == #""q\"b\\n\nr\rt\t\u0001\u001fé🖨/""plain""#)
    }

    @Test(arguments: [
        #"{"a": 1, "a": 2}"#, #"{"a": 1,}"#, "[1, 2", #"{"a" 1}"#, "01", "1.", "-", "+1", ".5", "1e", "tru", "nul",
        #""\x""#, #""\ud800""#, #""\udc00x""#, "\"a\u{01}b\"", "[] []", "1e999", "",
        String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    struct LimitCase: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        /// nil: parses; otherwise the kind of failure.
        let failure: JSONParser.Failure.Kind?
        var testDescription: String { name }
    }

    static func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
    static func zeros(_ count: Int) -> String { "[" + Array(repeating: "0", count: count).joined(separator: ",") + "]" }
    static func quoted(_ body: String) -> String { "\"" + body + "\"" }

    /// Under `Limits.request` (depth 16, 10 000 values, strings of 16 384
    /// bytes): each limit reached exactly parses, one more fails, and the
    /// failure says whether the body is malformed (400) or too large (413).
    static let requestLimitCases: [LimitCase] = [
        LimitCase(name: "16 nested arrays", text: nested(16), failure: nil),
        LimitCase(name: "17 nested arrays", text: nested(17), failure: .malformed),
        LimitCase(name: "17 nested objects", text: String(repeating: #"{"a":"#, count: 17) + "0" + String(repeating: "}", count: 17),
                  failure: .malformed),
        // The array and its 9 999 elements: 10 000 values.
        LimitCase(name: "10 000 values", text: zeros(9_999), failure: nil),
        LimitCase(name: "10 001 values", text: zeros(10_000), failure: .tooLarge),
        // An object and 5 000 members with their values: 5 001 values (names do not count).
        LimitCase(name: "5 000 members", text: "{" + (0..<5_000).map { #""k\#($0)":0"# }.joined(separator: ",") + "}", failure: nil),
        LimitCase(name: "10 000 empty objects", text: "[" + Array(repeating: "{}", count: 10_000).joined(separator: ",") + "]",
                  failure: .tooLarge),
        LimitCase(name: "string of 16 384 bytes", text: quoted(String(repeating: "x", count: 16_384)), failure: nil),
        LimitCase(name: "string of 16 385 bytes", text: quoted(String(repeating: "x", count: 16_385)), failure: .tooLarge),
        // "é" is two bytes of UTF-8.
        LimitCase(name: "8 192 two-byte characters", text: quoted(String(repeating: "é", count: 8_192)), failure: nil),
        LimitCase(name: "8 193 two-byte characters", text: quoted(String(repeating: "é", count: 8_193)), failure: .tooLarge),
        // Escapes are measured after unescaping: 16 385 "\u0041" are 16 385 bytes.
        LimitCase(name: "16 384 escaped bytes", text: quoted(String(repeating: #"\u0041"#, count: 16_384)), failure: nil),
        LimitCase(name: "16 385 escaped bytes", text: quoted(String(repeating: #"\u0041"#, count: 16_385)), failure: .tooLarge),
        LimitCase(name: "member name of 16 385 bytes", text: "{" + quoted(String(repeating: "k", count: 16_385)) + ":0}",
                  failure: .tooLarge),
        // Syntax errors stay malformed under limits.
        LimitCase(name: "unterminated", text: #"{"a": [1, 2"#, failure: .malformed),
    ]

    @Test(arguments: requestLimitCases)
    func requestLimits(_ limitCase: LimitCase) {
        do {
            _ = try JSONParser.parse(limitCase.text, limits: .request)
            #expect(limitCase.failure == nil, "accepted")
        } catch {
            #expect(error.kind == limitCase.failure, "\(error)")
        }
    }

    /// The trusted default (catalogue, stored JSON) bounds only the depth.
    @Test func trustedDocumentsAreBoundedOnlyInDepth() throws {
        #expect(throws: Never.self) { try JSONParser.parse(Self.zeros(100_000)) }
        #expect(throws: Never.self) { try JSONParser.parse(Self.quoted(String(repeating: "x", count: 100_000))) }
        #expect(throws: Never.self) { try JSONParser.parse(Self.nested(64)) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Self.nested(65)) }
    }

    /// Containers are built on the parser's scratch stacks and copied out at
    /// their close: nesting and siblings come out in order and complete.
    @Test func nestedContainersKeepTheirOwnMembers() throws {
        let value = try JSONParser.parse(#"{"a": [1, {"b": [2, 3], "c": {}}, []], "d": {"e": [4]}, "f": 5}"#, limits: .request)
        #expect(value.encoded() == #"{"a":[1,{"b":[2,3],"c":{}},[]],"d":{"e":[4]},"f":5}"#)
    }
}
