import Foundation
import Testing
@testable import ServiceCore

/// `SerialList`: a contract's serials cut from the stored list (joined by
/// 0x1F), always in byte order, and read back like an array of strings.
@Suite struct SerialListTests {
    static func cut(_ stored: String) -> SerialList {
        var text = stored.replacingOccurrences(of: "|", with: "\u{1F}")
        return text.withUTF8 { SerialList(joined: $0) }
    }

    @Test(arguments: [
        ("A|B|C", ["A", "B", "C"]),
        // Stored out of order: sorted by bytes, as SQLite's BINARY collation orders text.
        ("D3|D1|D2", ["D1", "D2", "D3"]),
        ("D3|D", ["D", "D3"]),
        ("b|B|a", ["B", "a", "b"]),
        ("A|A", ["A", "A"]),
        ("SC00000001", ["SC00000001"]),
        ("", []),
        ("Ü1|U1", ["U1", "Ü1"]),
        ("A|", ["", "A"]),
        ("|", ["", ""]),
        ("A1|A2|A10", ["A1", "A10", "A2"]),
    ])
    func aStoredListReadsAsItsSerialsInByteOrder(stored: String, serials: [String]) {
        let list = Self.cut(stored)
        #expect(Array(list) == serials)
        #expect(list.count == serials.count)
        #expect(list == SerialList(serials))
    }

    @Test func aLongStoredListIsCutAtEverySeparator() {
        let serials = (0..<2_000).map { "SN" + String(100_000 + $0 * 7) }
        let list = Self.cut(serials.joined(separator: "|"))
        #expect(Array(list) == serials)
        let shuffled = Self.cut(serials.reversed().joined(separator: "|"))
        #expect(Array(shuffled) == serials)
    }

    @Test func aListBuiltFromStringsKeepsTheirOrderAndReadsThemBack() {
        let list = SerialList(["Z9", "A1", "M5"])
        #expect(list[0] == "Z9" && list[1] == "A1" && list[2] == "M5")
        #expect(list.contains("A1") && !list.contains("A"))
        #expect(list != SerialList(["A1", "M5", "Z9"]))
        let literal: SerialList = ["Z9", "A1", "M5"]
        #expect(literal == list)
        #expect(SerialList([]).isEmpty)
    }

    @Test func aWriterGetsTheSerialsJoinedByOneByteAndWhereEachEnds() {
        let (bytes, ends) = SerialList(["AB", "C", "DEF"]).withJoinedBytes { (Array($0), $1) }
        #expect(bytes == Array("AB\u{1F}C\u{1F}DEF".utf8))
        #expect(ends == [2, 4, 8])
    }
}
