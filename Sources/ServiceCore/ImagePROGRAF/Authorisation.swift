/// Section A of the seed: a dealer attains and keeps authorisation by
/// meeting minimum service requirements. Here (assumption, catalogue): per
/// product line, enough technicians holding a certification for it that is
/// current on the day; an admin may also suspend and reinstate with a reason.
public enum Authorisation {
    public enum Status: String, Sendable, CaseIterable {
        /// Requirements met on the day.
        case authorised
        /// Never met so far.
        case pending
        /// Met before, not any more.
        case lapsed
        /// Suspended by an admin, whatever the requirements.
        case suspended
    }

    /// Valid from `certifiedOn` up to the day before `expiresOn`: the
    /// authorisation it carries lapses the day it expires.
    public struct Certification: Sendable, Equatable {
        public let technicianID: String
        public let line: ProductLineID
        public let certifiedOn: LocalDate
        public let expiresOn: LocalDate

        public init(technicianID: String, line: ProductLineID, certifiedOn: LocalDate, expiresOn: LocalDate) {
            self.technicianID = technicianID
            self.line = line
            self.certifiedOn = certifiedOn
            self.expiresOn = expiresOn
        }

        public init(technicianID: String, line: ProductLineID, certifiedOn: LocalDate, requirements: AuthorisationRequirements) {
            self.init(technicianID: technicianID, line: line, certifiedOn: certifiedOn,
                      expiresOn: certifiedOn.adding(months: requirements.certificationValidMonths))
        }

        public func isCurrent(on date: LocalDate) -> Bool { certifiedOn <= date && date < expiresOn }
    }

    /// An admin's suspension or reinstatement, for one line or (nil) all.
    public struct Action: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            case suspend, reinstate
        }

        public let kind: Kind
        public let line: ProductLineID?
        public let effectiveOn: LocalDate
        public let reason: String

        public init(kind: Kind, line: ProductLineID?, effectiveOn: LocalDate, reason: String) {
            self.kind = kind
            self.line = line
            self.effectiveOn = effectiveOn
            self.reason = reason
        }
    }

    public struct LineStatus: Sendable, Equatable {
        public let line: ProductLineID
        public let status: Status
        public let certifiedTechnicians: Int
        /// What is missing, in words; empty when authorised.
        public let unmet: [String]
        /// The admin's reason when suspended.
        public let suspensionReason: String?
    }

    /// Technicians of the line whose certification is current on the day (each counted once).
    static func certifiedTechnicians(_ line: ProductLineID, on date: LocalDate, _ certifications: [Certification]) -> Int {
        Set(certifications.filter { $0.line == line && $0.isCurrent(on: date) }.map(\.technicianID)).count
    }

    static func requirementsMet(_ line: ProductLineID, on date: LocalDate, _ certifications: [Certification],
                                _ requirements: AuthorisationRequirements) -> Bool {
        certifiedTechnicians(line, on: date, certifications) >= requirements.minimumCertifiedTechniciansPerLine
    }

    /// The admin action in force for the line on the day: the last one
    /// effective on or before it (in the order recorded, for the same day).
    static func action(for line: ProductLineID, on date: LocalDate, _ actions: [Action]) -> Action? {
        actions.enumerated().filter { ($0.element.line == nil || $0.element.line == line) && $0.element.effectiveOn <= date }
            .max { ($0.element.effectiveOn, $0.offset) < ($1.element.effectiveOn, $1.offset) }?.element
    }

    public static func status(
        of line: ProductLineID, on date: LocalDate, certifications: [Certification], actions: [Action],
        requirements: AuthorisationRequirements
    ) -> LineStatus {
        let count = certifiedTechnicians(line, on: date, certifications)
        let minimum = requirements.minimumCertifiedTechniciansPerLine
        let unmet = count >= minimum ? [] : [
            "needs \(minimum) technician(s) with a current \(line.rawValue) certification on \(date), has \(count)",
        ]
        if let action = action(for: line, on: date, actions), action.kind == .suspend {
            return LineStatus(line: line, status: .suspended, certifiedTechnicians: count, unmet: unmet, suspensionReason: action.reason)
        }
        if unmet.isEmpty { return LineStatus(line: line, status: .authorised, certifiedTechnicians: count, unmet: [], suspensionReason: nil) }
        // The count of current certifications only rises on a day one starts,
        // so those days are enough to tell whether the requirement was ever met.
        let metBefore = certifications.contains { certification in
            certification.line == line && certification.certifiedOn < date
                && requirementsMet(line, on: certification.certifiedOn, certifications, requirements)
        }
        return LineStatus(line: line, status: metBefore ? .lapsed : .pending, certifiedTechnicians: count, unmet: unmet, suspensionReason: nil)
    }

    /// One change of a line's status: from `on`, the line is `status`.
    public struct Change: Sendable, Equatable {
        public let on: LocalDate
        public let line: ProductLineID
        public let status: Status
    }

    /// Every change of status up to and including `through`, per line in the
    /// order given: statuses change only on days a certification starts or
    /// expires or an admin action takes effect.
    public static func history(
        lines: [ProductLineID], through: LocalDate, certifications: [Certification], actions: [Action],
        requirements: AuthorisationRequirements
    ) -> [Change] {
        let days = Set(certifications.flatMap { [$0.certifiedOn, $0.expiresOn] } + actions.map(\.effectiveOn)).filter { $0 <= through }.sorted()
        var changes: [Change] = []
        for line in lines {
            var previous = Status.pending
            for day in days {
                let current = status(of: line, on: day, certifications: certifications, actions: actions, requirements: requirements).status
                if current != previous { changes.append(Change(on: day, line: line, status: current)) }
                previous = current
            }
        }
        return changes
    }
}
