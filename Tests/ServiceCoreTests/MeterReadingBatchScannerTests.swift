import Foundation
import ServiceJSON
import Testing
@testable import ServiceCore

/// The scanner may decline any body, but what it accepts must be exactly
/// what the general path accepts, reading for reading.
@Suite struct MeterReadingBatchScannerTests {
    static let now = RFC3339.parse("2026-06-01T12:00:00Z")!

    static func item(serial: String = "SN-1", at: String = "2026-05-01T10:00:00Z", counters: [Int] = [10, 2, 30, 4, 5, 6],
                     source: String = "dms", extra: String = "") -> String {
        let names = MeterCounters.names
        let figures = zip(names, counters).map { "\"\($0)\":\($1)" }.joined(separator: ",")
        return "{\"device_serial\":\"\(serial)\",\"read_at\":\"\(at)\",\(figures),\"source\":\"\(source)\"\(extra)}"
    }

    static func batch(_ items: [String]) -> [UInt8] { Array("{\"readings\":[\(items.joined(separator: ","))]}".utf8) }

    /// The general path: nil when it records any issue or the JSON is malformed.
    static func general(_ body: [UInt8]) -> [MeterReading]? {
        guard let value = try? JSONParser.parse(body) else { return nil }
        let issues = ValidationIssues()
        guard let root = ObjectReader(value, issues: issues) else { return nil }
        let readings = MeterReadingInput.decode(root, now: now)
        return issues.list.isEmpty ? readings.readings.map(\.reading) : nil
    }

    @Test func plainBatchDecodesLikeTheGeneralPath() throws {
        let body = Self.batch([
            Self.item(),
            Self.item(serial: "sn-2", at: "2026-05-01T12:00:00.1234+02:00", counters: [0, 0, 0, 0, 0, 0], source: "manual",
                      extra: ",\"counter_reset\":true"),
            Self.item(at: "2026-06-01T12:01:00Z", counters: [2_147_483_647_000, 1, 1, 1, 1, 1], source: "estimate", extra: ",\"counter_reset\":false"),
        ])
        let scanned = try #require(MeterReadingBatchScanner.scan(body, now: Self.now))
        #expect(scanned == Self.general(body))
        #expect(scanned.count == 3)
        // Hand-checked: 10:00+02:00 is 08:00Z; the fraction is cut to whole milliseconds.
        #expect(scanned[1].readAt == Int64(LocalDate("2026-05-01")!.dayNumber) * 86_400_000 + 10 * 3_600_000 + 123)
        #expect(scanned[1].counterReset && !scanned[2].counterReset && scanned[2].source == .estimate)
        #expect(scanned[2].counters.bwA4 == 2_147_483_647_000)
        #expect(scanned.map(\.deviceSerial) == ["SN-1", "SN-2", "SN-1"])  // one form, as stored
    }

    /// A serial no label carries is refused by both paths alike.
    @Test(arguments: ["SN 2", "SN/2", "SNø2", "", "  "])
    func serialsOutsideTheAlphabetAreRefused(_ serial: String) {
        let body = Self.batch([Self.item(serial: serial)])
        #expect(MeterReadingBatchScanner.scan(body, now: Self.now) == nil)
        #expect(Self.general(body) == nil)
    }

    @Test func whitespaceBetweenTokensIsAccepted() throws {
        let body = Array(" {\n \"readings\" :\t[ { \"device_serial\" : \"SN-1\" , \"read_at\":\"2026-05-01T10:00:00Z\", \"bw_a4\" : 1 ,\"bw_a3\":2,\r\n\"colour_a4\":3,\"colour_a3\":4,\"banner_bw\":5,\"banner_colour\":6,\"source\":\"dms\" } ] } \n".utf8)
        let scanned = try #require(MeterReadingBatchScanner.scan(body, now: Self.now))
        #expect(scanned == Self.general(body))
    }

    /// One valid reading with `from` replaced by `to` in its text.
    static func edited(_ from: String, _ to: String) -> [UInt8] {
        Array(String(decoding: batch([item()]), as: UTF8.self).replacingOccurrences(of: from, with: to).utf8)
    }

    static let declined: [(String, [UInt8])] = [
        // The general path accepts these, differently spelled.
        ("escape in a string", batch([item(serial: "SN\\u002d1")])),
        ("non-ASCII serial", batch([item(serial: "SNæ1")])),
        ("serial with a space to trim", batch([item(serial: " SN-1")])),
        ("counter_reset null", batch([item(extra: ",\"counter_reset\":null")])),
        ("single reading without the wrapper", Array(item().utf8)),
        // The general path rejects these.
        ("empty serial", batch([item(serial: "")])),
        ("serial over 64 characters", batch([item(serial: String(repeating: "S", count: 65))])),
        ("read_at in the future", batch([item(at: "2026-06-01T12:01:01Z")])),
        ("read_at not RFC 3339", batch([item(at: "2026-05-01 10:00:00Z")])),
        ("read_at before 2000", batch([item(at: "1999-12-31T23:59:59Z")])),
        ("unknown source", batch([item(source: "DMS")])),
        ("negative counter", batch([item(counters: [-1, 0, 0, 0, 0, 0])])),
        ("fractional counter", edited("\"bw_a4\":10", "\"bw_a4\":10.0")),
        ("exponent counter", edited("\"bw_a4\":10", "\"bw_a4\":1e1")),
        ("leading zero", edited("\"bw_a4\":10", "\"bw_a4\":010")),
        ("counter over the bound", batch([item(counters: [2_147_483_647_001, 0, 0, 0, 0, 0])])),
        ("counter as a string", edited("\"bw_a4\":10", "\"bw_a4\":\"10\"")),
        ("duplicate field", batch([item(extra: ",\"bw_a4\":10")])),
        ("unknown field", batch([item(extra: ",\"colour\":1")])),
        ("missing field", edited("\"bw_a3\":2,", "")),
        ("null counter", edited("\"bw_a4\":10", "\"bw_a4\":null")),
        ("counter_reset as a number", batch([item(extra: ",\"counter_reset\":1")])),
        ("empty batch", Array("{\"readings\":[]}".utf8)),
        ("other member beside readings", Array("{\"readings\":[\(item())],\"x\":1}".utf8)),
        ("trailing bytes", batch([item()]) + Array("x".utf8)),
        ("truncated", Array(batch([item()]).dropLast())),
        ("item not an object", Array("{\"readings\":[1]}".utf8)),
        ("too many readings", batch(Array(repeating: item(), count: MeterReadingInput.maxBatch + 1))),
    ]

    /// Bodies outside the plain subset, or invalid: the scanner declines
    /// them all, whether the general path accepts them or not.
    @Test(arguments: declined)
    func declines(_ name: String, _ body: [UInt8]) {
        #expect(MeterReadingBatchScanner.scan(body, now: Self.now) == nil, "\(name)")
    }

    @Test func aFullBatchIsAccepted() throws {
        let body = Self.batch((0..<MeterReadingInput.maxBatch).map { Self.item(serial: "SN-\($0)") })
        #expect(try #require(MeterReadingBatchScanner.scan(body, now: Self.now)).count == MeterReadingInput.maxBatch)
    }

    /// Random byte edits of a valid batch: whatever the scanner accepts,
    /// the general path accepts with the same readings.
    @Test func mutatedBodiesNeverDiverge() {
        let original = Self.batch([Self.item(), Self.item(serial: "SN-2", extra: ",\"counter_reset\":true"), Self.item(counters: [9, 8, 7, 6, 5, 4])])
        let alphabet = Array("{}[]:,\" \\0123456789-.eE+tfnurlaxs_\n\t".utf8) + [0x00, 0x7F, 0xC3, 0xA6]
        var random = SplitMix64(state: 0x5EED)
        var accepted = 0
        for _ in 0..<20_000 {
            var body = original
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let position = Int(random.next() % UInt64(body.count))
                let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
                switch random.next() % 3 {
                case 0: body[position] = byte
                case 1: body.insert(byte, at: position)
                default: body.remove(at: position)
                }
            }
            guard let scanned = MeterReadingBatchScanner.scan(body, now: Self.now) else { continue }
            accepted += 1
            #expect(scanned == Self.general(body), "\(String(decoding: body, as: UTF8.self))")
        }
        // Edits inside a number or a serial keep the body valid: the check above did run.
        #expect(accepted > 100)
    }
}
