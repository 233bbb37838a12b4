import Foundation
import ServiceJSON

/// Reads `{"readings": [...]}` straight into readings, without a JSON value
/// tree: building that tree cost about three quarters of an ingestion
/// request. It takes only batches `MeterReadingInput.decode` would accept
/// unchanged, in its plain subset (printable ASCII strings without escapes,
/// unsigned integers, no nulls); for anything else it answers nil and the
/// caller takes the general path, which gives the exact errors.
public enum MeterReadingBatchScanner {
    public static func scan(_ body: [UInt8], now: Date) -> [MeterReading]? {
        var scanner = JSONScanner(body)
        guard scanner.take(UInt8(ascii: "{")), let key = scanner.plainString(), scanner.bytes(in: key, equal: "readings"),
              scanner.take(UInt8(ascii: ":")), scanner.take(UInt8(ascii: "[")) else { return nil }
        let latest = now.addingTimeInterval(ObjectReader.clockSkewAllowance)
        var readings: [MeterReading] = []
        readings.reserveCapacity(min(body.count / 128, MeterReadingInput.maxBatch))
        repeat {
            guard readings.count < MeterReadingInput.maxBatch, let reading = reading(&scanner, latest: latest) else { return nil }
            readings.append(reading)
        } while scanner.take(UInt8(ascii: ","))
        guard scanner.take(UInt8(ascii: "]")), scanner.take(UInt8(ascii: "}")), scanner.isAtEnd() else { return nil }
        return readings
    }

    private enum Field: Int, CaseIterable {
        case deviceSerial, readAt, bwA4, bwA3, colourA4, colourA3, bannerBW, bannerColour, source, counterReset
    }

    /// The counters' upper bound has 13 digits.
    private static let counterDigits = String(MeterReadingInput.counterRange.upperBound).count

    private static func reading(_ scanner: inout JSONScanner, latest: Date) -> MeterReading? {
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        var seen = 0
        var serial = "", readAt: Int64 = 0, source = MeterReading.Source.dms, reset = false
        var counters = MeterCounters.zero
        repeat {
            guard let key = scanner.plainString(), let field = field(scanner, key), seen & (1 << field.rawValue) == 0,
                  scanner.take(UInt8(ascii: ":")) else { return nil }
            seen |= 1 << field.rawValue
            switch field {
            case .deviceSerial:
                guard let range = scanner.plainString(), let text = trimmedText(scanner, range, maxLength: DeviceSerial.maxLength),
                      let normalised = DeviceSerial.parse(text) else { return nil }
                serial = normalised
            case .readAt:
                guard let range = scanner.plainString(), trimmedText(scanner, range, maxLength: 200) != nil,
                      let instant = scanner.bytes.withUnsafeBufferPointer({ RFC3339.parse(bytes: .init(rebasing: $0[range])) }),
                      instant <= latest, instant >= ObjectReader.earliestInstant else { return nil }
                readAt = MeterReadingInput.millis(instant)
            case .source:
                guard let range = scanner.plainString(), let value = MeterReading.Source(rawValue: scanner.string(in: range)) else { return nil }
                source = value
            case .counterReset:
                guard let value = scanner.bool() else { return nil }
                reset = value
            case .bwA4: guard let value = counter(&scanner) else { return nil }; counters.bwA4 = value
            case .bwA3: guard let value = counter(&scanner) else { return nil }; counters.bwA3 = value
            case .colourA4: guard let value = counter(&scanner) else { return nil }; counters.colourA4 = value
            case .colourA3: guard let value = counter(&scanner) else { return nil }; counters.colourA3 = value
            case .bannerBW: guard let value = counter(&scanner) else { return nil }; counters.bannerBW = value
            case .bannerColour: guard let value = counter(&scanner) else { return nil }; counters.bannerColour = value
            }
        } while scanner.take(UInt8(ascii: ","))
        // Everything but counter_reset is required.
        guard scanner.take(UInt8(ascii: "}")), seen | (1 << Field.counterReset.rawValue) == (1 << Field.allCases.count) - 1 else { return nil }
        return MeterReading(deviceSerial: serial, readAt: readAt, counters: counters, source: source, counterReset: reset)
    }

    private static func counter(_ scanner: inout JSONScanner) -> Int? {
        guard let value = scanner.unsignedInteger(maxDigits: counterDigits), MeterReadingInput.counterRange.contains(value) else { return nil }
        return value
    }

    private static func field(_ scanner: JSONScanner, _ key: Range<Int>) -> Field? {
        switch key.count {
        case 5: return scanner.bytes(in: key, equal: "bw_a4") ? .bwA4 : scanner.bytes(in: key, equal: "bw_a3") ? .bwA3 : nil
        case 6: return scanner.bytes(in: key, equal: "source") ? .source : nil
        case 7: return scanner.bytes(in: key, equal: "read_at") ? .readAt : nil
        case 9:
            if scanner.bytes(in: key, equal: "colour_a4") { return .colourA4 }
            if scanner.bytes(in: key, equal: "colour_a3") { return .colourA3 }
            return scanner.bytes(in: key, equal: "banner_bw") ? .bannerBW : nil
        case 13:
            if scanner.bytes(in: key, equal: "device_serial") { return .deviceSerial }
            if scanner.bytes(in: key, equal: "banner_colour") { return .bannerColour }
            return scanner.bytes(in: key, equal: "counter_reset") ? .counterReset : nil
        default: return nil
        }
    }

    /// The general path trims and rejects empty text; here a string with a
    /// space at either end, or none at all, goes there instead.
    private static func trimmedText(_ scanner: JSONScanner, _ range: Range<Int>, maxLength: Int) -> String? {
        guard !range.isEmpty, range.count <= maxLength, scanner.bytes[range.lowerBound] != 0x20, scanner.bytes[range.upperBound - 1] != 0x20 else {
            return nil
        }
        return scanner.string(in: range)
    }
}
