import Testing
@testable import ServiceCore

@Suite struct CSVTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("Bjørn & Co", "Bjørn & Co"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("line\nbreak", "\"line\nbreak\""),
        ("crlf\r\nbreak", "\"crlf\r\nbreak\""),
        ("cr\ronly", "\"cr\ronly\""),
        (#"{"a":1,"b":"ø"}"#, #""{""a"":1,""b"":""ø""}""#),
        ("", ""),
    ])
    func quotesOnlyWhatNeedsIt(_ text: String, _ expected: String) {
        #expect(CSV.field(text) == expected)
    }
}
