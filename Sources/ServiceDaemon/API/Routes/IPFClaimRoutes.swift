import ServiceCore
import ServiceHTTP
import ServiceJSON

/// imagePROGRAF compensation claims, their payment, and the dealer's monthly statement.
struct IPFClaimRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/ipf/claims") { request in
            let principal = try request.principal(.admin, .dealer)
            let (dealerID, new) = try request.decode { body -> (String?, IPFClaimOperations.New)? in
                let dealerID = body.dealerID(for: principal)
                return body.newClaim(api.programme, today: api.today).map { (dealerID, $0) }
            }
            return try api.ipfWrite(request) { connection, principal in
                let claim = try IPFClaimOperations.submit(connection, principal: principal, dealerID: request.owner(principal, dealerID), new,
                                                          programme: api.programme, today: api.today)
                try api.publish(connection, .ipfClaimDecided, dealer: claim.dealerID, id: claim.id, claim.json)
                return APIResponse.json(.created, claim.json, version: claim.version, location: "/v1/ipf/claims/\(claim.id)")
            }
        }
        group.get("/ipf/claims/statement?month&dealer_id") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let (year, month) = try request.queryMonth("month")
            let dealerID = try request.dealerFilter(principal)
            let statement = try api.ipfRead {
                try IPFClaimOperations.statement($0, scope: principal.dealerScope, dealerID: dealerID, year: year, month: month, programme: api.programme)
            }
            if request.acceptsCSV {
                let csv = ([IPFClaimStatement.csvHeader] + statement.csvRows()).map { $0 + "\r\n" }.joined()
                return HTTPResponse(status: .ok, contentType: "text/csv; charset=utf-8", body: Array(csv.utf8))
            }
            return APIResponse.json(.ok, statement.json)
        }
        group.get("/ipf/claims/{id}", api.show(
            "claim", parameter: "id", find: { try IPFClaimStore.find($0, id: $1, scope: $2) }, json: { $0.json }
        ))
        group.get("/ipf/claims?dealer_id&serial&state&limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            var filter = IPFClaimStore.Filter()
            filter.dealerID = request.query["dealer_id"]
            filter.serial = request.query["serial"].map { IPFSerial.normalised($0) ?? $0 }
            filter.state = try request.queryChoice("state", IPFClaim.State.self)
            return APIResponse.page(try api.read { try IPFClaimStore.list($0, scope: principal.dealerScope, filter: filter, page: page) }) { $0.json }
        }
        group.post("/ipf/claims/{id}/payment") { request in
            _ = try request.principal(.admin)
            let id = try request.parameters.require("id")
            let today = api.today
            let (reference, paidOn) = try request.decode { body -> (String, LocalDate)? in
                let reference = body.string("reference", maxLength: 100)
                let paidOn = body.pastDate("paid_on", required: false, today: today) ?? today
                return reference.map { ($0, paidOn) }
            }
            return try api.ipfWrite(request) { connection, principal in
                let claim = try IPFClaimOperations.recordPayment(connection, principal: principal, claimID: id, reference: reference, paidOn: paidOn)
                try api.publish(connection, .ipfClaimPaid, dealer: claim.dealerID, id: claim.id, claim.json)
                return APIResponse.json(.ok, claim.json, version: claim.version)
            }
        }
    }
}

extension ObjectReader {
    /// The body of a claim. Quantities and costs are bounded so the amount cannot overflow.
    func newClaim(_ programme: IPFProgramme, today: LocalDate) -> IPFClaimOperations.New? {
        let serial = ipfSerial("serial")
        let serviceDate = pastDate("service_date", today: today)
        let technician = string("technician_id", maxLength: 64)
        let minutes = int("labour_minutes", range: 0...programme.claims.maxLabourMinutes)
        let parts = claimParts("parts")
        let description = string("description", maxLength: 4_000)
        guard let serial, let serviceDate, let technician, let minutes, let parts, let description else { return nil }
        return IPFClaimOperations.New(serial: serial, serviceDate: serviceDate, technicianID: technician, labourMinutes: minutes, parts: parts,
                                      description: description)
    }

    func claimParts(_ key: String) -> [Compensation.Part]? {
        objectArray(key, maxCount: 100) { reader in
            let number = reader.string("part_number", maxLength: 40)
            let quantity = reader.int("quantity", range: 1...10_000)
            let cost = reader.int("unit_cost_minor", range: 0...100_000_000)
            guard let number, let quantity, let cost else { return nil }
            return Compensation.Part(partNumber: number, quantity: quantity, unitCostMinor: cost)
        }
    }
}

extension HTTPRequest {
    /// `?month=YYYY-MM`, required.
    func queryMonth(_ name: String) throws -> (Int, Int) {
        guard let text = query[name] else { throw APIProblem.invalid(name, "is required (YYYY-MM)") }
        guard let date = LocalDate(text + "-01"), text.count == 7 else { throw APIProblem.invalid(name, "must be a month YYYY-MM") }
        return (date.year, date.month)
    }

    /// The one dealer a per-dealer report is for: a dealer key's own; `?dealer_id=` required of others.
    func dealerFilter(_ principal: Principal) throws -> String {
        if let dealerID = query["dealer_id"] { return dealerID }
        guard let own = principal.dealerID else { throw APIProblem.invalid("dealer_id", "is required with an admin or billing key: a statement is per dealer") }
        return own
    }
}
