import Foundation

/// The servicing figures of the catalogue's `cps.servicing`: turnaround
/// rules, closing time, maintenance discount, each country's working days
/// and Canon's own service centres.
public struct CPSServicing: Sendable {
    public let turnaround: TurnaroundRules
    public let closingMinutes: Int
    public let maintenanceDiscountPercent: Int
    /// ISO country code to its time zone and closed dates.
    public let countries: [String: (timeZone: TimeZone, closedDates: Set<LocalDate>)]
    public let centres: [ServiceCentre]

    public init(turnaround: TurnaroundRules, closingMinutes: Int, maintenanceDiscountPercent: Int,
                countries: [String: (timeZone: TimeZone, closedDates: Set<LocalDate>)], centres: [ServiceCentre]) {
        self.turnaround = turnaround
        self.closingMinutes = closingMinutes
        self.maintenanceDiscountPercent = maintenanceDiscountPercent
        self.countries = countries
        self.centres = centres
    }

    /// The working days of a country the catalogue knows; nil otherwise.
    public func workingDays(in country: String) -> WorkingDays? {
        countries[country].map { WorkingDays(country: country, timeZone: $0.timeZone, closedDates: $0.closedDates, closingMinutes: closingMinutes) }
    }
}
