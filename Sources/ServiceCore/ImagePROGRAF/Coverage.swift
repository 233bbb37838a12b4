/// Section C of the seed: service on a device in warranty, or post warranty
/// under an eCarePak, is compensated. Warranty runs from installation for
/// the product line's months; each eCarePak extends coverage contiguously
/// from the end of the warranty or of the previous eCarePak, by its term.
public enum Coverage {
    public enum Kind: String, Sendable {
        case warranty, ecarepak, none
    }

    /// One stretch of coverage, both ends inclusive.
    public struct Period: Sendable, Equatable {
        public let kind: Kind
        public let from: LocalDate
        public let through: LocalDate
        /// The eCarePak that gives it; nil for the warranty.
        public let eCarePakID: String?

        public init(kind: Kind, from: LocalDate, through: LocalDate, eCarePakID: String? = nil) {
            self.kind = kind
            self.from = from
            self.through = through
            self.eCarePakID = eCarePakID
        }

        public func contains(_ date: LocalDate) -> Bool { from <= date && date <= through }
    }

    /// An eCarePak as bought: its term; where it starts follows from the ones before.
    public struct ECarePak: Sendable, Equatable {
        public let id: String
        public let termMonths: Int
        public let purchasedOn: LocalDate

        public init(id: String, termMonths: Int, purchasedOn: LocalDate) {
            self.id = id
            self.termMonths = termMonths
            self.purchasedOn = purchasedOn
        }
    }

    /// N months from a first day: the last day is the day before the same
    /// date N months later (installed 15 March 2026, 12 months: through 14 March 2027).
    static func period(_ kind: Kind, from: LocalDate, months: Int, id: String? = nil) -> Period {
        Period(kind: kind, from: from, through: from.adding(months: months).adding(days: -1), eCarePakID: id)
    }

    /// The warranty, then each eCarePak in the order bought, back to back.
    public static func periods(installedOn: LocalDate, warrantyMonths: Int, eCarePaks: [ECarePak]) -> [Period] {
        var periods = [period(.warranty, from: installedOn, months: warrantyMonths)]
        for pak in eCarePaks {
            periods.append(period(.ecarepak, from: periods[periods.count - 1].through.adding(days: 1), months: pak.termMonths, id: pak.id))
        }
        return periods
    }

    /// What covers the device on a date; nil when nothing does.
    public static func on(_ date: LocalDate, _ periods: [Period]) -> Period? {
        periods.first { $0.contains(date) }
    }

    /// The last day a further eCarePak may be bought: the last covered day,
    /// plus the catalogue's grace days.
    public static func purchaseDeadline(_ periods: [Period], graceDays: Int) -> LocalDate {
        periods[periods.count - 1].through.adding(days: graceDays)
    }

    public enum PurchaseRefusal: Error, Sendable, Equatable {
        case unknownTerm(offered: [Int])
        case beforeInstallation(installedOn: LocalDate)
        case tooLate(deadline: LocalDate)
    }

    /// The period a new eCarePak bought on `purchasedOn` would add, or why it cannot be bought.
    public static func purchase(
        termMonths: Int, purchasedOn: LocalDate, installedOn: LocalDate, warrantyMonths: Int, eCarePaks: [ECarePak],
        terms: ECarePakTerms, id: String
    ) -> Result<Period, PurchaseRefusal> {
        guard terms.termsMonths.contains(termMonths) else { return .failure(.unknownTerm(offered: terms.termsMonths)) }
        guard purchasedOn >= installedOn else { return .failure(.beforeInstallation(installedOn: installedOn)) }
        let existing = periods(installedOn: installedOn, warrantyMonths: warrantyMonths, eCarePaks: eCarePaks)
        let deadline = purchaseDeadline(existing, graceDays: terms.purchaseGraceDays)
        guard purchasedOn <= deadline else { return .failure(.tooLate(deadline: deadline)) }
        return .success(period(.ecarepak, from: existing[existing.count - 1].through.adding(days: 1), months: termMonths, id: id))
    }
}
