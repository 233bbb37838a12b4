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
        guard bytes.count == 10, let text = bytes.baseAddress, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
              let century = Digits.pair(at: text), let yearOfCentury = Digits.pair(at: text + 2),
              let month = Digits.pair(at: text + 5), let day = Digits.pair(at: text + 8) else { return nil }
        self.init(year: century &* 100 &+ yearOfCentury, month: month, day: day)
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil, for a date `init?(year:month:day:)`
    /// has validated: with a year of at most four digits nothing can
    /// overflow, so the arithmetic is not checked (every stored date and
    /// instant read comes through here).
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year &- 1 : year
        let era = (y >= 0 ? y : y &- 399) / 400
        let yearOfEra = y &- era &* 400
        let dayOfYear = (153 &* (month &+ (month > 2 ? -3 : 9)) &+ 2) / 5 &+ day &- 1
        let dayOfEra = yearOfEra &* 365 &+ yearOfEra / 4 &- yearOfEra / 100 &+ dayOfYear
        return era &* 146_097 &+ dayOfEra &- 719_468
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
        precondition(offset >= 0 && offset + 10 <= bytes.count, "no room for a date")
        let text = bytes.baseAddress! + offset
        Digits.putPair(year / 100, at: text)
        Digits.putPair(year % 100, at: text + 2)
        text[4] = UInt8(ascii: "-")
        Digits.putPair(month, at: text + 5)
        text[7] = UInt8(ascii: "-")
        Digits.putPair(day, at: text + 8)
        return offset + 10
    }
}

/// Zero-padded decimal digits read and written in place two at a time, for
/// the fixed-width dates and instants stored and printed on every resource:
/// a page of service requests reads and writes a few hundred, and a digit at
/// a time (a division, a check and a loop step each) was a tenth of the page.
enum Digits {
    /// "00" to "99" back to back: a pair is one look-up, not two divisions.
    private static let pairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// Writes `value` (0...99) as two digits at `out`.
    @inline(__always) static func putPair(_ value: Int, at out: UnsafeMutablePointer<UInt8>) {
        assert((0...99).contains(value), "two digits hold 0...99")
        let pair = pairs.utf8Start + value &* 2
        out[0] = pair[0]
        out[1] = pair[1]
    }

    /// The number the two ASCII digits at `text` write, or nil when either is not a digit.
    @inline(__always) static func pair(at text: UnsafePointer<UInt8>) -> Int? {
        let tens = text[0] &- UInt8(ascii: "0"), ones = text[1] &- UInt8(ascii: "0")
        return tens < 10 && ones < 10 ? Int(tens) &* 10 &+ Int(ones) : nil
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
