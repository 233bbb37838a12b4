import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Service centres: Canon's own from the catalogue, authorised partners created by an admin for the dealer that runs them.
struct CPSServiceCentreRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/cps/service-centres") { request in
            let principal = try request.principal(.admin)
            let (name, country, dealerID) = try request.decode { body -> (String, String, String)? in
                let name = body.string("name")
                let country = CPSBody.country(body, "country")
                let dealerID = body.string("dealer_id", maxLength: 64)
                if let country, api.cps.servicing.workingDays(in: country) == nil {
                    body.issues.add("country", "has no working-day calendar in the catalogue (cps.servicing.countries)")
                }
                guard let name, let country, let dealerID, api.cps.servicing.workingDays(in: country) != nil else { return nil }
                return (name, country, dealerID)
            }
            return try api.cpsWrite(request) { connection, _ in
                guard try DealerStore.find(connection, id: dealerID) != nil else { throw CPSFailure.notFound(kind: "dealer", id: dealerID) }
                let centre = ServiceCentre(id: Identifier.make("spc"), name: name, country: country, kind: .partner, dealerID: dealerID)
                try CPSRepairStore.insertPartner(connection, centre)
                try api.cpsAudit(connection, principal, "service_centre.create", "cps_service_centre", centre.id, [("dealer_id", .string(dealerID))])
                return APIResponse.json(.created, centre.json, location: "/v1/cps/service-centres")
            }
        }
        group.get("/cps/service-centres") { request in
            _ = try request.principal
            let partners = try api.cpsRead { try CPSRepairStore.partners($0) }
            return APIResponse.json(.ok, .object([("items", .array((api.cps.servicing.centres + partners).map(\.json)))]))
        }
    }
}

extension ServiceCentre {
    var json: JSONValue {
        .object([("id", .string(id)), ("name", .string(name)), ("country", .string(country)), ("kind", .string(kind.rawValue)),
                 ("dealer_id", dealerID.map(JSONValue.string) ?? .null)])
    }
}
