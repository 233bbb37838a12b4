import Foundation

extension ObjectReader {
    /// Clients' clocks drift; an instant this far ahead is still taken as now.
    public static let clockSkewAllowance: TimeInterval = 60
    public static let earliestInstant = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01T00:00:00Z

    /// An RFC 3339 instant (any offset) that is not in the future, beyond
    /// the clock-skew allowance; one within the allowance is taken as now, so
    /// nothing stored lies in the future. Issues are recorded under the field's path.
    public func pastInstant(_ key: String, required: Bool = true, now: Date) -> Date? {
        pastInstantAsSent(key, required: required, now: now).map { min($0, now) }
    }

    /// The same check, but the instant as the client sent it: a meter
    /// reading keeps its own clock's time, so a resend matches what is stored.
    public func pastInstantAsSent(_ key: String, required: Bool = true, now: Date) -> Date? {
        guard let text = string(key, required: required) else { return nil }
        guard let instant = RFC3339.parse(text) else {
            issues.add(field(key), "must be an RFC 3339 instant, e.g. 2026-03-02T14:00:00+01:00")
            return nil
        }
        guard instant <= now.addingTimeInterval(Self.clockSkewAllowance) else {
            issues.add(field(key), "must not be in the future")
            return nil
        }
        // Support hours and days are computed from here on; earlier instants
        // are mistakes, and calendars before 1582 are not even Gregorian.
        guard instant >= Self.earliestInstant else {
            issues.add(field(key), "must not be before 2000-01-01")
            return nil
        }
        return instant
    }
}
