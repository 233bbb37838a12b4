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
        #""\x""#, #""\ud800""#, #""\udc00x""#, "\"a\u{01}b\"", "[] []", "99999999999999999999", "1e999", "",
        String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }
}
