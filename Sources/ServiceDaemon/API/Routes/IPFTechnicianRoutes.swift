import ServiceCore
import ServiceHTTP
import ServiceJSON

/// imagePROGRAF technicians and their certifications (the minimum service requirement).
struct IPFTechnicianRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/ipf/technicians") { request in
            let principal = try request.principal(.admin, .dealer)
            let (dealerID, name, certifications) = try request.decode { body -> (String?, String, [IPFTechnicianOperations.NewCertification])? in
                let dealerID = body.dealerID(for: principal)
                let name = body.string("name")
                let certifications = body.certifications("certifications", today: api.today)
                guard let name, let certifications else { return nil }
                return (dealerID, name, certifications)
            }
            return try api.ipfWrite(request) { connection, principal in
                let technician = try IPFTechnicianOperations.create(
                    connection, principal: principal, dealerID: request.owner(principal, dealerID), name: name, certifications: certifications,
                    programme: api.programme, today: api.today
                )
                return APIResponse.json(.created, technician.json, version: technician.version, location: "/v1/ipf/technicians/\(technician.id)")
            }
        }
        group.get("/ipf/technicians/{id}", api.show(
            "technician", parameter: "id", find: { try IPFTechnicianStore.find($0, id: $1, scope: $2) }, json: { $0.json }
        ))
        group.get("/ipf/technicians?dealer_id&limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            return APIResponse.page(try api.read {
                try IPFTechnicianStore.list($0, scope: principal.dealerScope, dealerID: request.query["dealer_id"], page: page)
            }) { $0.json }
        }
        group.post("/ipf/technicians/{id}/certifications") { request in
            _ = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            let certification = try request.decode { $0.certification(today: api.today) }
            return try api.ipfWrite(request) { connection, principal in
                let technician = try IPFTechnicianOperations.certify(connection, principal: principal, technicianID: id, certification,
                                                                     programme: api.programme, today: api.today)
                return APIResponse.json(.created, technician.json, version: technician.version)
            }
        }
    }
}
