/// "Banner printing must be agreed separately." Banner clicks printed on a
/// day no contract with `banner_agreed` covered are still billed, at the
/// family's list price, and flagged `banner_not_agreed` on the billing line
/// and in usage reports, so the dealer sees them.
public enum BannerAgreement {
    /// Whether banner clicks were printed on some day from `from` through
    /// `through` that no contract of the device agreeing to banners covered.
    /// `dayStart` gives the instant (ms) a local day starts.
    public static func notAgreed(readings: [MeterReading], contracts: [Contract], from: LocalDate, through: LocalDate,
                                 dayStart: (LocalDate) -> Int64) -> Bool {
        let agreed = contracts.filter(\.bannerAgreed).sorted { $0.startsOn < $1.startsOn }
        var day = from
        func printed(before end: LocalDate) -> Bool {
            day < end && Usage.over(from: dayStart(day), to: dayStart(end), readings: readings).counters.bannerClicks > 0
        }
        for contract in agreed where contract.lastDay >= day && contract.startsOn <= through {
            if printed(before: contract.startsOn) { return true }
            day = max(day, contract.lastDay.adding(days: 1))
        }
        return printed(before: through.adding(days: 1))
    }
}
