/// The subscription programme (seed 003): "from 500 points you are invited;
/// the more points, the more levels to choose from; with 2 000 points any
/// level; with over 2 500 points Corporate as well."
public struct SubscriptionRules: Sendable, Equatable {
    public let invitedFrom: Int
    public let silverFrom: Int
    public let goldFrom: Int
    /// Silver, Gold and Platinum: "with 2 000 points you can access any level".
    public let anyLevelFrom: Int
    /// Corporate only with strictly more points than this.
    public let corporateAbove: Int
    public let currency: String
    public let annualPriceMinor: [CPSLevel: Int]
    public let bankTransferFeeMinor: Int
    /// The invoice is due this many calendar days after the day it is issued.
    public let dueAfterDays: Int
    public let termMonths: Int

    public init(invitedFrom: Int, silverFrom: Int, goldFrom: Int, anyLevelFrom: Int, corporateAbove: Int, currency: String,
                annualPriceMinor: [CPSLevel: Int], bankTransferFeeMinor: Int, dueAfterDays: Int, termMonths: Int) {
        self.invitedFrom = invitedFrom
        self.silverFrom = silverFrom
        self.goldFrom = goldFrom
        self.anyLevelFrom = anyLevelFrom
        self.corporateAbove = corporateAbove
        self.currency = currency
        self.annualPriceMinor = annualPriceMinor
        self.bankTransferFeeMinor = bankTransferFeeMinor
        self.dueAfterDays = dueAfterDays
        self.termMonths = termMonths
    }

    public struct Option: Sendable, Equatable {
        public let level: CPSLevel
        public let reason: String
    }

    public static let levels: [CPSLevel] = [.silver, .gold, .platinum, .corporate]

    public func isInvited(points: Int) -> Bool { points >= invitedFrom }

    /// The levels on offer for a points total, each with why; empty below the invitation threshold.
    public func options(points: Int) -> [Option] {
        guard isInvited(points: points) else { return [] }
        var options: [Option] = []
        if points >= silverFrom || points >= anyLevelFrom {
            options.append(Option(level: .silver, reason: "\(points) points: Silver from \(silverFrom)"))
        }
        if points >= goldFrom || points >= anyLevelFrom {
            options.append(Option(level: .gold, reason: "\(points) points: Gold from \(goldFrom)"))
        }
        if points >= anyLevelFrom {
            options.append(Option(level: .platinum, reason: "\(points) points: any of Silver, Gold, Platinum from \(anyLevelFrom)"))
        }
        if points > corporateAbove {
            options.append(Option(level: .corporate, reason: "\(points) points: Corporate above \(corporateAbove)"))
        }
        return options
    }

    /// Why nothing (or nothing more) is on offer, for the options answer.
    public func nextStep(points: Int) -> String? {
        if points < invitedFrom { return "not invited: the subscription programme starts at \(invitedFrom) points" }
        if points <= corporateAbove { return "Corporate needs more than \(corporateAbove) points" }
        return nil
    }

    /// The invoice for a term of `level` paid by `method`, issued on `issuedOn`.
    public func invoiceAmounts(level: CPSLevel, method: PaymentMethod) -> (amount: Int, fee: Int)? {
        guard let price = annualPriceMinor[level] else { return nil }
        return (price, method == .bankTransfer ? bankTransferFeeMinor : 0)
    }

    public func dueDate(issuedOn: LocalDate) -> LocalDate { issuedOn.adding(days: dueAfterDays) }

    /// The last day of a term starting on `start`: the day before the same date
    /// `termMonths` later (a date that month lacks, such as 29 February, rolls to
    /// the 1st of the next month, so a year from 29 February 2024 ends on 28 February 2025).
    public func termEnd(startingOn start: LocalDate) -> LocalDate {
        let months = start.year * 12 + (start.month - 1) + termMonths
        let year = months / 12
        let month = months % 12 + 1
        let next = LocalDate(year: year, month: month, day: start.day)
            ?? LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))!.adding(days: 1)
        return next.adding(days: -1)
    }
}

public enum PaymentMethod: String, Sendable, CaseIterable {
    case card
    case bankTransfer = "bank_transfer"
}
