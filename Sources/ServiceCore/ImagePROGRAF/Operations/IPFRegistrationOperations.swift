import ServiceJSON

/// ASCR: a dealer registers each device it sells with its support model;
/// eCarePaks bought for it extend its coverage.
public enum IPFRegistrationOperations {
    public struct New: Sendable {
        public let serial: String
        public let model: String
        public let line: ProductLineID
        public let endCustomer: IPFRegistration.EndCustomer
        public let installedOn: LocalDate
        public let supportModel: SupportModel

        public init(serial: String, model: String, line: ProductLineID, endCustomer: IPFRegistration.EndCustomer, installedOn: LocalDate,
                    supportModel: SupportModel) {
            self.serial = serial
            self.model = model
            self.line = line
            self.endCustomer = endCustomer
            self.installedOn = installedOn
            self.supportModel = supportModel
        }
    }

    /// Only a dealer authorised for the device's line today may register it; one registration per serial.
    public static func register(_ connection: Connection, principal: Principal, dealerID: String, _ new: New, programme: IPFProgramme,
                                today: LocalDate) throws -> IPFRegistration {
        try IPFAuthorisationOperations.requireDealer(connection, scope: principal.dealerScope, dealerID)
        guard new.installedOn <= today else { throw IPFFailure.invalid("installed_on", "must not be after today (\(today))") }
        let status = try IPFAuthorisationOperations.status(connection, dealerID: dealerID, line: new.line, on: today, programme: programme)
        guard status.status == .authorised else {
            throw IPFFailure.invalid("model", "dealer \(dealerID) is not authorised for \(new.line.rawValue) on \(today) (\(status.status.rawValue))"
                + (status.unmet.isEmpty ? "" : ": " + status.unmet.joined(separator: "; ")))
        }
        guard try !IPFRegistrationStore.exists(connection, serial: new.serial) else {
            throw IPFFailure.conflict("serial \(new.serial) is already registered in ASCR")
        }
        let registration = IPFRegistration(
            serial: new.serial, dealerID: dealerID, model: new.model, line: new.line, endCustomer: new.endCustomer, installedOn: new.installedOn,
            supportModel: new.supportModel, eCarePaks: [], transfers: [], version: 1, createdAt: Timestamp.now()
        )
        try IPFRegistrationStore.create(connection, registration)
        try audit(connection, principal, "ipf.registration.create", registration, [
            ("model", .string(new.model)), ("support_model", .string(new.supportModel.rawValue)),
        ])
        return registration
    }

    public static func find(_ connection: Connection, scope: String?, serial: String) throws -> IPFRegistration {
        guard let registration = try IPFRegistrationStore.find(connection, serial: serial, scope: scope) else {
            throw IPFFailure.notFound(kind: "registration", id: serial)
        }
        return registration
    }

    /// A changed support model or end customer (ASCR keeps the dealer's
    /// current answer); `expectedVersion` guards against a stale edit.
    public static func update(_ connection: Connection, principal: Principal, serial: String, supportModel: SupportModel?,
                              endCustomer: IPFRegistration.EndCustomer?, precondition: (Int) throws -> Void) throws -> IPFRegistration {
        let registration = try find(connection, scope: principal.dealerScope, serial: serial)
        try precondition(registration.version)
        try IPFRegistrationStore.update(connection, serial: serial, supportModel: supportModel ?? registration.supportModel,
                                        endCustomer: endCustomer ?? registration.endCustomer)
        try audit(connection, principal, "ipf.registration.update", registration, [
            ("support_model", .string((supportModel ?? registration.supportModel).rawValue)), ("end_customer_changed", .bool(endCustomer != nil)),
        ])
        return try find(connection, scope: nil, serial: serial)
    }

    /// An admin moves a registration to another dealer; the move is kept in its history.
    public static func transfer(_ connection: Connection, principal: Principal, serial: String, to dealerID: String,
                                reason: String) throws -> IPFRegistration {
        let registration = try find(connection, scope: principal.dealerScope, serial: serial)
        // An unknown dealer is not found, as for a partner centre's dealer.
        guard try DealerStore.find(connection, id: dealerID) != nil else { throw IPFFailure.notFound(kind: "dealer", id: dealerID) }
        guard dealerID != registration.dealerID else { throw IPFFailure.conflict("serial \(serial) is already registered to \(dealerID)") }
        try IPFRegistrationStore.transfer(connection, registration, to: dealerID, reason: reason, keyID: principal.keyID)
        try audit(connection, principal, "ipf.registration.transfer", registration, [
            ("from_dealer_id", .string(registration.dealerID)), ("to_dealer_id", .string(dealerID)), ("reason", .string(reason)),
        ])
        return try find(connection, scope: nil, serial: serial)
    }

    /// Buys an eCarePak; refused (with the date it had to be bought by) when coverage ended too long ago.
    public static func buyECarePak(_ connection: Connection, principal: Principal, serial: String, termMonths: Int, purchasedOn: LocalDate,
                                   programme: IPFProgramme, today: LocalDate) throws -> (IPFRegistration, Coverage.Period) {
        let registration = try find(connection, scope: principal.dealerScope, serial: serial)
        guard purchasedOn <= today else { throw IPFFailure.invalid("purchased_on", "must not be after today (\(today))") }
        let id = Identifier.make("ecp")
        let result = Coverage.purchase(
            termMonths: termMonths, purchasedOn: purchasedOn, installedOn: registration.installedOn,
            warrantyMonths: programme.line(registration.line)?.warrantyMonths ?? 0, eCarePaks: registration.eCarePaks,
            terms: programme.eCarePak, id: id
        )
        switch result {
        case .failure(.unknownTerm(let offered)):
            throw IPFFailure.invalid("term_months", "must be one of \(offered.map(String.init).joined(separator: ", "))")
        case .failure(.beforeInstallation(let installed)):
            throw IPFFailure.invalid("purchased_on", "must not be before the installation on \(installed)")
        case .failure(.tooLate(let deadline)):
            throw IPFFailure.invalid("purchased_on", "too late: an eCarePak for \(serial) had to be bought by \(deadline)")
        case .success(let period):
            try IPFRegistrationStore.addECarePak(connection, serial: serial, dealerID: principal.dealerID ?? registration.dealerID,
                                                 Coverage.ECarePak(id: id, termMonths: termMonths, purchasedOn: purchasedOn))
            try audit(connection, principal, "ipf.ecarepak.purchase", registration, [
                ("ecarepak_id", .string(id)), ("term_months", .int(termMonths)), ("from", .string(period.from.description)),
                ("through", .string(period.through.description)),
            ])
            return (try find(connection, scope: nil, serial: serial), period)
        }
    }

    private static func audit(_ connection: Connection, _ principal: Principal, _ action: String, _ registration: IPFRegistration,
                              _ detail: [(String, JSONValue)]) throws {
        try AuditStore.record(connection, principal: principal, action: action, resourceType: "ipf_registration",
                              resourceID: registration.serial, dealerID: registration.dealerID, detail: .object(detail))
    }
}
