/// Fast Track turnaround (FAQ, "Product servicing"): by membership level in
/// working days, shipping excluded; video products never under 5 days; only
/// for completely registered, Fast Track eligible products; maintenance and
/// upgrades only at a PSC or CEC; at most 3 of a member's products in
/// servicing at once. Anything else gets the standard turnaround.
public struct TurnaroundRules: Sendable, Equatable {
    /// Fast Track working days per level (Red has none: it gets the standard).
    public let fastTrackDays: [CPSLevel: Int]
    public let standardDays: Int
    public let videoMinimumDays: Int
    public let maxInService: Int
    /// Gold and Platinum get a backup loan when a video target is over this many days.
    public let loanWhenVideoTargetOver: Int
    /// Levels entitled to a backup loan when the target is missed.
    public let loanLevels: Set<CPSLevel>

    public init(fastTrackDays: [CPSLevel: Int], standardDays: Int, videoMinimumDays: Int, maxInService: Int,
                loanWhenVideoTargetOver: Int, loanLevels: Set<CPSLevel>) {
        self.fastTrackDays = fastTrackDays
        self.standardDays = standardDays
        self.videoMinimumDays = videoMinimumDays
        self.maxInService = maxInService
        self.loanWhenVideoTargetOver = loanWhenVideoTargetOver
        self.loanLevels = loanLevels
    }

    public struct Case: Sendable {
        /// The member's level on the day received; nil for a non-member.
        public let level: CPSLevel?
        public let product: CPSProduct
        /// Registered in full with points validated.
        public let registrationComplete: Bool
        public let service: ServiceKind
        public let centre: ServiceCentre.Kind
        /// The member's other products in servicing on Fast Track when this one was received.
        public let alreadyInService: Int

        public init(level: CPSLevel?, product: CPSProduct, registrationComplete: Bool, service: ServiceKind,
                    centre: ServiceCentre.Kind, alreadyInService: Int) {
            self.level = level
            self.product = product
            self.registrationComplete = registrationComplete
            self.service = service
            self.centre = centre
            self.alreadyInService = alreadyInService
        }
    }

    public struct Decision: Sendable, Equatable {
        public let workingDays: Int
        public let fastTrack: Bool
        public let reasons: [String]
    }

    public func decide(_ input: Case) -> Decision {
        var refusals: [String] = []
        let levelDays = input.level.flatMap { fastTrackDays[$0] }
        if input.level == nil { refusals.append("not a CPS member") }
        else if levelDays == nil { refusals.append("\(input.level!.rawValue) level has no Fast Track") }
        if !input.product.fastTrackEligible { refusals.append("\(input.product.name) is not Fast Track eligible") }
        if !input.registrationComplete { refusals.append("the product is not registered in full") }
        if input.service != .repair && !input.centre.isCanonOwned {
            refusals.append("Fast Track on \(input.service.rawValue) only at a PSC or CEC, not at an authorised partner")
        }
        if input.alreadyInService >= maxInService {
            refusals.append("\(input.alreadyInService) of the member's products already in servicing on Fast Track (at most \(maxInService) at once)")
        }
        guard refusals.isEmpty, let days = levelDays else {
            return Decision(workingDays: standardDays, fastTrack: false, reasons: ["standard turnaround \(standardDays) working days"] + refusals)
        }
        var reasons = ["Fast Track: \(input.level!.rawValue) \(days) working days"]
        var result = days
        if input.product.video && days < videoMinimumDays {
            result = videoMinimumDays
            reasons.append("video product: never under \(videoMinimumDays) working days")
        }
        return Decision(workingDays: result, fastTrack: true, reasons: reasons)
    }

    /// "If your turnaround time cannot be met ... a courtesy backup loan (Gold and
    /// Platinum)"; for video, also when the target itself is over 5 days.
    public func backupLoanEntitled(level: CPSLevel?, video: Bool, targetWorkingDays: Int, targetOn: LocalDate,
                                   completedOn: LocalDate?) -> Bool {
        guard let level, loanLevels.contains(level) else { return false }
        if video && targetWorkingDays > loanWhenVideoTargetOver { return true }
        return completedOn.map { $0 > targetOn } ?? false
    }
}

/// CPS benefits on chargeable work: the maintenance discount and free return
/// shipping on chargeable repairs, only at Canon's own centres.
public struct ChargeableBenefits: Sendable, Equatable {
    public let maintenanceDiscountPercent: Int
    public let freeReturnShipping: Bool
    public let reason: String

    public static func of(service: ServiceKind, chargeable: Bool, centre: ServiceCentre.Kind, discountPercent: Int) -> ChargeableBenefits {
        guard chargeable else { return ChargeableBenefits(maintenanceDiscountPercent: 0, freeReturnShipping: false, reason: "not chargeable") }
        guard centre.isCanonOwned else {
            return ChargeableBenefits(maintenanceDiscountPercent: 0, freeReturnShipping: false,
                                      reason: "authorised partners do not offer the CPS maintenance discount or free return shipping")
        }
        switch service {
        case .maintenance:
            return ChargeableBenefits(maintenanceDiscountPercent: discountPercent, freeReturnShipping: false,
                                      reason: "CPS maintenance discount at a \(centre.rawValue.uppercased())")
        case .repair:
            return ChargeableBenefits(maintenanceDiscountPercent: 0, freeReturnShipping: true,
                                      reason: "free return shipping on a chargeable repair at a \(centre.rawValue.uppercased())")
        case .upgrade:
            return ChargeableBenefits(maintenanceDiscountPercent: 0, freeReturnShipping: false, reason: "no CPS benefit on upgrades")
        }
    }
}
