import Foundation

/// RFC 3339 instants: any offset on input (`Z`, `+02:00`, `-05:30`), UTC with
/// `Z` on output. Strict: full date, time with seconds, optional fraction.
public enum RFC3339 {
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// Parses from the string's bytes without copying them: ingestion parses
    /// one instant per meter reading.
    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        if let instant = parseStored(bytes) { return instant }
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
              let date = LocalDate(year: year, month: month, day: day),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19]),
              hour < 24, minute < 60, second < 60 else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, let digit = number(bytes[index..<(index + 1)]) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > start, index - start <= 9 else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                  let hours = number(bytes[(index + 1)..<(index + 3)]), let minutes = number(bytes[(index + 4)..<(index + 6)]),
                  hours < 24, minutes < 60 else { return nil }
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let seconds = date.dayNumber * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the form `format` writes and the store keeps
    /// every instant in: read without slices, since a page of service requests
    /// reads a few hundred. Anything else is left to the general parse.
    private static func parseStored(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count == 20, let text = bytes.baseAddress, text[10] == UInt8(ascii: "T"), text[13] == UInt8(ascii: ":"),
              text[16] == UInt8(ascii: ":"), text[19] == UInt8(ascii: "Z"),
              let date = LocalDate(utf8: UnsafeBufferPointer(start: text, count: 10)),
              let hour = Digits.pair(at: text + 11), let minute = Digits.pair(at: text + 14), let second = Digits.pair(at: text + 17),
              hour < 24, minute < 60, second < 60 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(date.dayNumber * 86_400 + hour * 3_600 + minute * 60 + second))
    }

    /// `2026-03-02T13:30:00Z` (whole seconds).
    public static func format(_ instant: Date) -> String {
        let (date, secondOfDay) = split(instant)
        guard (0...9999).contains(date.year) else { return unpadded(date, secondOfDay) }
        return String(unsafeUninitializedCapacity: length) { write(date, secondOfDay, into: $0) }
    }

    /// Writes the instant as `format` does into `bytes` (room for `length`)
    /// and returns how many bytes it wrote; nil, writing nothing, for a year
    /// outside 0...9999, which has no RFC 3339 form.
    static func write(_ instant: Date, into bytes: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        let (date, secondOfDay) = split(instant)
        guard (0...9999).contains(date.year) else { return nil }
        return write(date, secondOfDay, into: bytes)
    }

    /// The bytes of an instant with a four-digit year.
    static let length = 20

    private static func split(_ instant: Date) -> (LocalDate, Int) {
        let total = Int(instant.timeIntervalSince1970.rounded(.down))
        // Floor division: an instant before 1970 belongs to the day before.
        var days = total / 86_400, secondOfDay = total % 86_400
        if secondOfDay < 0 {
            days -= 1
            secondOfDay += 86_400
        }
        return (LocalDate(dayNumber: days), secondOfDay)
    }

    /// Writes a four-digit year's instant into `bytes` (room for `length`); returns how many bytes it wrote.
    private static func write(_ date: LocalDate, _ secondOfDay: Int, into bytes: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(bytes.count >= length, "no room for an instant")
        let offset = date.write(into: bytes, at: 0)
        let text = bytes.baseAddress! + offset
        text[0] = UInt8(ascii: "T")
        Digits.putPair(secondOfDay / 3600, at: text + 1)
        text[3] = UInt8(ascii: ":")
        Digits.putPair(secondOfDay / 60 % 60, at: text + 4)
        text[6] = UInt8(ascii: ":")
        Digits.putPair(secondOfDay % 60, at: text + 7)
        text[9] = UInt8(ascii: "Z")
        return offset + 10
    }

    /// Years outside 0...9999 have no RFC 3339 form; written as they come.
    private static func unpadded(_ date: LocalDate, _ secondOfDay: Int) -> String {
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(date)T\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60))Z"
    }

    private static func number(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        var value = 0
        for byte in bytes {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
