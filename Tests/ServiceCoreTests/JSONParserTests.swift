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
