import Glibc
import ServiceCore
import ServiceHTTP
import ServiceJSON

struct DeviceRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/devices") { request in
            _ = try request.principal(.admin, .dealer)
            let new = try request.decode { body -> (String, String, ModelFamily, String, String?, LocalDate?)? in
                let serial = body.deviceSerial("serial")
                let resolved = Self.model(body, api.catalogue)
                let customerID = body.string("customer_id")
                let ip = Self.ipAddress(body)
                let installedOn = body.date("installed_on", required: false)
                guard let serial, let resolved, let customerID else { return nil }
                return (serial, resolved.name, resolved.family, customerID, ip, installedOn)
            }
            let (serial, model, family, customerID, ip, installedOn) = new
            return try api.write(request) { connection, principal in
                guard let customer = try CustomerStore.find(connection, id: customerID, scope: principal.dealerScope) else {
                    throw APIProblem.notFound("customer", customerID)
                }
                if let holder = try DeviceStore.find(connection, serial: serial, scope: nil) {
                    return try refuseTakenSerial(connection, principal, holder)
                }
                let device = try DeviceStore.create(connection, DeviceStore.New(
                    serial: serial, model: model, familyID: family.id, customer: customer, ipAddress: ip, installedOn: installedOn
                ))
                try api.audit(connection, principal, "device.create", "device", serial, dealer: customer.dealerID,
                              [("model", .string(model)), ("customer_id", .string(customer.id))])
                return APIResponse.json(.created, device.json, version: device.version, location: "/v1/devices/\(serial)")
            }
        }
        group.get("/devices/{serial}", api.show(
            "device", parameter: "serial", find: { try DeviceStore.find($0, serial: DeviceSerial.normalised($1), scope: $2) }, json: { $0.json }
        ))
        group.patch("/devices/{serial}") { request in
            let principal = try request.principal(.admin, .dealer)
            let serial = try request.serialParameter()
            let change = try request.decode { body -> (ip: String??, installedOn: LocalDate??)? in
                let ip: String?? = body.contains("ip_address") ? .some(Self.ipAddress(body)) : .none
                let installedOn: LocalDate?? = body.contains("installed_on") ? .some(body.date("installed_on", required: false)) : .none
                if ip == nil && installedOn == nil { body.issues.add("body", "give ip_address or installed_on (null clears)") }
                return (ip, installedOn)
            }
            return try api.write(request) { connection, _ in
                guard let existing = try DeviceStore.find(connection, serial: serial, scope: principal.dealerScope) else {
                    throw APIProblem.notFound("device", serial)
                }
                try request.checkPrecondition(currentVersion: existing.version)
                let device = try DeviceStore.update(
                    connection, existing,
                    ipAddress: change.ip ?? existing.ipAddress,
                    installedOn: change.installedOn ?? existing.installedOn
                )
                try api.audit(connection, principal, "device.update", "device", serial, dealer: device.dealerID, [
                    ("ip_address", device.ipAddress.map(JSONValue.string) ?? .null),
                    ("installed_on", device.installedOn.map { .string($0.description) } ?? .null),
                ])
                return APIResponse.json(.ok, device.json, version: device.version)
            }
        }
        group.get("/devices?customer_id&limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            let customerID = request.query["customer_id"]
            return APIResponse.page(try api.read {
                try DeviceStore.list($0, scope: principal.dealerScope, customerID: customerID, page: page)
            })
        }
    }

    /// The model as the catalogue names it (stored so) and its family; any
    /// spelling `ModelName` accepts, else the closest families in the 422.
    static func model(_ body: ObjectReader, _ catalogue: Catalogue) -> (name: String, family: ModelFamily)? {
        switch body.string("model").map(catalogue.resolve) {
        case .known(let family, let name)?:
            return (name, family)
        case let unknown?:
            body.issues.add("model", unknown.problem ?? "unknown model")
            return nil
        case nil:
            return nil
        }
    }

    /// A serial is a physical fact, so a taken one stays 409; but a dealer
    /// learns only that it is not available to it, never that another
    /// dealer has that device. The attempt is audited (committed: the
    /// refusal is returned, not thrown) with the holder for the admin.
    private func refuseTakenSerial(_ connection: Connection, _ principal: Principal, _ holder: Device) throws -> HTTPResponse {
        try api.audit(connection, principal, "device.create_refused", "device", holder.serial, dealer: principal.dealerID,
                      [("reason", .string("serial taken")), ("holder_dealer_id", .string(holder.dealerID))])
        let visible = principal.dealerScope == nil || principal.dealerScope == holder.dealerID
        return APIProblem.conflict(visible ? "a device with serial \(holder.serial) is already registered"
                                           : "serial \(holder.serial) is not available to this dealer").response
    }

    /// An IPv4 or IPv6 address (DMS reaches the device there).
    static func ipAddress(_ body: ObjectReader) -> String? {
        guard let text = body.string("ip_address", required: false, maxLength: 45) else { return nil }
        var v4 = in_addr()
        var v6 = in6_addr()
        guard inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1 else {
            body.issues.add("ip_address", "must be an IPv4 or IPv6 address")
            return nil
        }
        return text
    }
}
