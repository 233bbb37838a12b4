/// A calendar date without time or zone (contract periods, tier amendments:
/// "inclusive YYYY-MM-DD"). Day arithmetic goes through a day number, so
/// month lengths and leap years are handled in one place.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int
    /// Days since 1970-01-01. Stored: comparisons and day arithmetic run
    /// millions of times in a billing run.
    public let dayNumber: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
        dayNumber = Self.dayNumber(year: year, month: month, day: day)
    }

    /// Strictly `YYYY-MM-DD`.
    public init?(_ text: String) {
        // Read in place, not copied into an array: every date column of
        // every row read goes through here.
        var text = text
        guard let date = text.withUTF8(LocalDate.init(utf8:)) else { return nil }
        self = date
    }

    /// Strictly `YYYY-MM-DD`, from its UTF-8 bytes (a column read in place).
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = day
        self.dayNumber = dayNumber
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }
    public static func == (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber == rhs.dayNumber }
    public func hash(into hasher: inout Hasher) { hasher.combine(dayNumber) }

    /// `YYYY-MM-DD`, written byte by byte: billing explanations print dates
    /// by the hundred thousand, and ten bytes fit a string without allocating.
    public var description: String {
        guard (0...9999).contains(year) else { return "\(year)-\(month)-\(day)" }
        return String(unsafeUninitializedCapacity: 10) { write(into: $0, at: 0) }
    }

    /// Writes `YYYY-MM-DD` at `offset` (a year of four digits: the caller checks
    /// `0...9999`); returns the offset after it.
    func write(into bytes: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        Digits.put(year, width: 4, into: bytes, at: offset)
        bytes[offset + 4] = UInt8(ascii: "-")
        Digits.put(month, width: 2, into: bytes, at: offset + 5)
        bytes[offset + 7] = UInt8(ascii: "-")
        Digits.put(day, width: 2, into: bytes, at: offset + 8)
        return offset + 10
    }
}

/// Zero-padded decimal digits written in place, for the fixed-width dates
/// and instants the API prints on every resource.
enum Digits {
    static func put(_ value: Int, width: Int, into bytes: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var value = value
        for position in stride(from: offset + width - 1, through: offset, by: -1) {
            bytes[position] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
    }
}

extension LocalDate {
    /// The same day of the month `months` later, or the month's last day
    /// when it is shorter (31 January + 1 month = 28 or 29 February).
    public func adding(months: Int) -> LocalDate {
        let index = year * 12 + (month - 1) + months
        let newYear = index / 12, newMonth = index % 12 + 1
        return LocalDate(year: newYear, month: newMonth, day: min(day, LocalDate.daysIn(month: newMonth, year: newYear)))
            ?? LocalDate(dayNumber: dayNumber + months * 30)
    }
}
