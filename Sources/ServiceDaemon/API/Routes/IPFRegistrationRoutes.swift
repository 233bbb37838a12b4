import ServiceCore
import ServiceHTTP
import ServiceJSON

/// ASCR device registrations with their support model, transfers, eCarePaks and coverage.
struct IPFRegistrationRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/ipf/registrations") { request in
            let principal = try request.principal(.admin, .dealer)
            let (dealerID, new) = try request.decode { body -> (String?, IPFRegistrationOperations.New)? in
                let dealerID = body.dealerID(for: principal)
                return body.newRegistration(api.programme, today: api.today).map { (dealerID, $0) }
            }
            return try api.ipfWrite(request) { connection, principal in
                let registration = try IPFRegistrationOperations.register(
                    connection, principal: principal, dealerID: request.owner(principal, dealerID), new, programme: api.programme, today: api.today
                )
                return APIResponse.json(.created, registration.json(api.programme), version: registration.version,
                                        location: "/v1/ipf/registrations/\(registration.serial)")
            }
        }
        group.get("/ipf/registrations/{serial}") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let serial = try request.ipfSerial()
            let registration = try api.ipfRead { try IPFRegistrationOperations.find($0, scope: principal.dealerScope, serial: serial) }
            return APIResponse.json(.ok, registration.json(api.programme), version: registration.version)
        }
        group.patch("/ipf/registrations/{serial}") { request in
            _ = try request.principal(.admin, .dealer)
            let serial = try request.ipfSerial()
            let (supportModel, endCustomer) = try request.decode { body -> (SupportModel?, IPFRegistration.EndCustomer?)? in
                let supportModel = body.choice("support_model", SupportModel.self, required: false)
                let endCustomer = body.object("end_customer", required: false).flatMap { $0.endCustomer() }
                if !body.contains("support_model") && !body.contains("end_customer") { body.issues.add("body", "give support_model or end_customer") }
                return (supportModel, endCustomer)
            }
            return try api.ipfWrite(request) { connection, principal in
                let registration = try IPFRegistrationOperations.update(
                    connection, principal: principal, serial: serial, supportModel: supportModel, endCustomer: endCustomer,
                    precondition: { try request.checkPrecondition(currentVersion: $0) }
                )
                return APIResponse.json(.ok, registration.json(api.programme), version: registration.version)
            }
        }
        group.get("/ipf/registrations?dealer_id&product_line&support_model&limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            var filter = IPFRegistrationStore.Filter()
            filter.dealerID = request.query["dealer_id"]
            filter.line = try request.queryChoice("product_line", ProductLineID.self)
            filter.supportModel = try request.queryChoice("support_model", SupportModel.self)
            return APIResponse.page(try api.read { try IPFRegistrationStore.list($0, scope: principal.dealerScope, filter: filter, page: page) }) {
                $0.json(api.programme)
            }
        }
        group.post("/ipf/registrations/{serial}/transfer") { request in
            _ = try request.principal(.admin)
            let serial = try request.ipfSerial()
            let (dealerID, reason) = try request.decode { body -> (String, String)? in
                let dealerID = body.string("dealer_id", maxLength: 64)
                let reason = body.string("reason", maxLength: 2_000)
                guard let dealerID, let reason else { return nil }
                return (dealerID, reason)
            }
            return try api.ipfWrite(request) { connection, principal in
                let registration = try IPFRegistrationOperations.transfer(connection, principal: principal, serial: serial, to: dealerID, reason: reason)
                return APIResponse.json(.ok, registration.json(api.programme), version: registration.version)
            }
        }
        group.post("/ipf/registrations/{serial}/ecarepaks") { request in
            _ = try request.principal(.admin, .dealer)
            let serial = try request.ipfSerial()
            let today = api.today
            let (term, purchasedOn) = try request.decode { body -> (Int, LocalDate)? in
                let term = body.int("term_months", range: 1...120)
                let purchasedOn = body.pastDate("purchased_on", required: false, today: today) ?? today
                return term.map { ($0, purchasedOn) }
            }
            return try api.ipfWrite(request) { connection, principal in
                let (registration, period) = try IPFRegistrationOperations.buyECarePak(
                    connection, principal: principal, serial: serial, termMonths: term, purchasedOn: purchasedOn, programme: api.programme, today: today
                )
                return APIResponse.json(.created, .object([("ecarepak", period.json), ("registration", registration.json(api.programme))]),
                                        version: registration.version)
            }
        }
        group.get("/ipf/registrations/{serial}/coverage?on") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let serial = try request.ipfSerial()
            let on = try request.onDate(default: api.today)
            let registration = try api.ipfRead { try IPFRegistrationOperations.find($0, scope: principal.dealerScope, serial: serial) }
            let period = Coverage.on(on, registration.coveragePeriods(api.programme))
            return APIResponse.json(.ok, .object([
                ("serial", .string(serial)), ("on", .string(on.description)), ("coverage", .string((period?.kind ?? .none).rawValue)),
                ("period", period?.json ?? .null),
            ]))
        }
    }
}

extension ObjectReader {
    /// The body of a new ASCR registration: the model names its product line (unknown models are refused).
    func newRegistration(_ programme: IPFProgramme, today: LocalDate) -> IPFRegistrationOperations.New? {
        let serial = ipfSerial("serial")
        let model = string("model")
        var line: ProductLine?
        if let model {
            line = programme.line(forModel: model)
            if line == nil { issues.add(field("model"), "unknown model \(model); see GET /v1/catalogue (imageprograf.product_lines)") }
        }
        let customer = object("end_customer").flatMap { $0.endCustomer() }
        let installedOn = pastDate("installed_on", today: today)
        let supportModel = choice("support_model", SupportModel.self)
        guard let serial, let model, let line, let customer, let installedOn, let supportModel else { return nil }
        let canonical = line.models.first { $0.lowercased() == model.lowercased() } ?? model
        return IPFRegistrationOperations.New(serial: serial, model: canonical, line: line.id, endCustomer: customer, installedOn: installedOn,
                                             supportModel: supportModel)
    }

    /// `{name, address, country}` of the device's end customer.
    func endCustomer() -> IPFRegistration.EndCustomer? {
        defer { rejectUnknownFields() }
        let name = string("name")
        let address = string("address", maxLength: 1_000)
        let country = countryCode("country")
        guard let name, let address, let country else { return nil }
        return IPFRegistration.EndCustomer(name: name, address: address, country: country)
    }

    /// ISO 3166-1 alpha-2, upper case.
    func countryCode(_ key: String) -> String? {
        guard let text = string(key, maxLength: 2) else { return nil }
        guard CountryCode.isWellFormed(text) else {
            issues.add(field(key), "must be an ISO 3166-1 alpha-2 country code such as NO or US")
            return nil
        }
        return text
    }
}
