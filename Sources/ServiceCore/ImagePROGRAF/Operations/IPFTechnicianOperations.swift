import ServiceJSON

public enum IPFTechnicianOperations {
    public struct NewCertification: Sendable {
        public let line: ProductLineID
        public let certifiedOn: LocalDate

        public init(line: ProductLineID, certifiedOn: LocalDate) {
            self.line = line
            self.certifiedOn = certifiedOn
        }
    }

    public static func create(_ connection: Connection, principal: Principal, dealerID: String, name: String,
                              certifications: [NewCertification], programme: IPFProgramme, today: LocalDate) throws -> IPFTechnician {
        try IPFAuthorisationOperations.requireDealer(connection, scope: principal.dealerScope, dealerID)
        let future = certifications.enumerated().filter { $0.element.certifiedOn > today }
        if !future.isEmpty {
            throw IPFFailure.invalid(ValidationFailure(future.map {
                ValidationIssue(field: "certifications[\($0.offset)].certified_on", message: "must not be after today (\(today))")
            }))
        }
        let technician = try IPFTechnicianStore.create(connection, dealerID: dealerID, name: name,
                                                       certifications: certifications.map { ($0.line, $0.certifiedOn) },
                                                       requirements: programme.authorisation)
        try audit(connection, principal, "ipf.technician.create", technician, certifications)
        return technician
    }

    /// A further (or renewed) certification for a technician the caller may see.
    public static func certify(_ connection: Connection, principal: Principal, technicianID: String, _ certification: NewCertification,
                               programme: IPFProgramme, today: LocalDate) throws -> IPFTechnician {
        guard let technician = try IPFTechnicianStore.find(connection, id: technicianID, scope: principal.dealerScope) else {
            throw IPFFailure.notFound(kind: "technician", id: technicianID)
        }
        guard certification.certifiedOn <= today else { throw IPFFailure.invalid("certified_on", "must not be after today (\(today))") }
        try IPFTechnicianStore.certify(connection, Authorisation.Certification(
            technicianID: technicianID, line: certification.line, certifiedOn: certification.certifiedOn, requirements: programme.authorisation
        ))
        try audit(connection, principal, "ipf.technician.certify", technician, [certification])
        return try IPFTechnicianStore.find(connection, id: technicianID, scope: nil)!
    }

    private static func audit(_ connection: Connection, _ principal: Principal, _ action: String, _ technician: IPFTechnician,
                              _ certifications: [NewCertification]) throws {
        try AuditStore.record(connection, principal: principal, action: action, resourceType: "ipf_technician", resourceID: technician.id,
                              dealerID: technician.dealerID, detail: .object([("certifications", .array(certifications.map {
                                  .object([("product_line", .string($0.line.rawValue)), ("certified_on", .string($0.certifiedOn.description))])
                              }))]))
    }
}
