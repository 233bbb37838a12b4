/// Norwegian public holidays (helligdager) for any year: the fixed dates and
/// the ones that move with Easter.
public enum NorwegianHolidays {
    public struct Holiday: Sendable, Equatable {
        public let date: LocalDate
        public let name: String
        public let localName: String
    }

    public static func holidays(in year: Int) -> [Holiday] {
        let easter = easterSunday(year)
        func fixed(_ month: Int, _ day: Int, _ name: String, _ local: String) -> Holiday {
            Holiday(date: LocalDate(year: year, month: month, day: day)!, name: name, localName: local)
        }
        func moving(_ offset: Int, _ name: String, _ local: String) -> Holiday {
            Holiday(date: easter.adding(days: offset), name: name, localName: local)
        }
        return [
            fixed(1, 1, "New Year's Day", "Første nyttårsdag"),
            moving(-3, "Maundy Thursday", "Skjærtorsdag"),
            moving(-2, "Good Friday", "Langfredag"),
            moving(0, "Easter Sunday", "Første påskedag"),
            moving(1, "Easter Monday", "Andre påskedag"),
            fixed(5, 1, "Labour Day", "Arbeidernes dag"),
            fixed(5, 17, "Constitution Day", "Grunnlovsdag"),
            moving(39, "Ascension Day", "Kristi himmelfartsdag"),
            moving(49, "Whit Sunday", "Første pinsedag"),
            moving(50, "Whit Monday", "Andre pinsedag"),
            fixed(12, 25, "Christmas Day", "Første juledag"),
            fixed(12, 26, "Boxing Day", "Andre juledag"),
        ].sorted { $0.date < $1.date }
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
