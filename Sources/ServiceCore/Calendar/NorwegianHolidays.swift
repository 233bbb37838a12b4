/// Norwegian public holidays (helligdager) for any year: the fixed dates and
/// the ones that move with Easter.
public enum NorwegianHolidays {
    public struct Holiday: Sendable, Equatable {
        public let date: LocalDate
        public let name: String
        public let localName: String
    }

    /// When a holiday falls: on a date, or a number of days from Easter Sunday.
    enum Rule {
        case fixed(month: Int, day: Int)
        case easter(Int)
    }

    /// The twelve helligdager.
    static let rules: [(rule: Rule, name: String, localName: String)] = [
        (.fixed(month: 1, day: 1), "New Year's Day", "Første nyttårsdag"),
        (.easter(-3), "Maundy Thursday", "Skjærtorsdag"),
        (.easter(-2), "Good Friday", "Langfredag"),
        (.easter(0), "Easter Sunday", "Første påskedag"),
        (.easter(1), "Easter Monday", "Andre påskedag"),
        (.fixed(month: 5, day: 1), "Labour Day", "Arbeidernes dag"),
        (.fixed(month: 5, day: 17), "Constitution Day", "Grunnlovsdag"),
        (.easter(39), "Ascension Day", "Kristi himmelfartsdag"),
        (.easter(49), "Whit Sunday", "Første pinsedag"),
        (.easter(50), "Whit Monday", "Andre pinsedag"),
        (.fixed(month: 12, day: 25), "Christmas Day", "Første juledag"),
        (.fixed(month: 12, day: 26), "Boxing Day", "Andre juledag"),
    ]

    public static func holidays(in year: Int) -> [Holiday] {
        let easter = easterSunday(year)
        return rules.map { holiday in
            let date: LocalDate
            switch holiday.rule {
            case .fixed(let month, let day): date = LocalDate(year: year, month: month, day: day)!
            case .easter(let offset): date = easter.adding(days: offset)
            }
            return Holiday(date: date, name: holiday.name, localName: holiday.localName)
        }.sorted { $0.date < $1.date }
    }

    /// Whether `date` is one of its year's holidays. Business minutes ask
    /// this of every day they count (years of days for an old request), so
    /// it compares with the rules rather than listing the year's holidays.
    public static func isHoliday(_ date: LocalDate) -> Bool {
        let easter = easterSunday(date.year)
        return rules.contains { holiday in
            switch holiday.rule {
            case .fixed(let month, let day): return date.month == month && date.day == day
            case .easter(let offset): return date.dayNumber - easter.dayNumber == offset
            }
        }
    }

    /// Easter Sunday by the Gregorian computus (the "anonymous" algorithm,
    /// as given by Meeus).
    public static func easterSunday(_ year: Int) -> LocalDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(year: year, month: month, day: day)!
    }
}
