import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Device Management Service: toner levels that dispatch consumables, error
/// codes that open service requests. Alerts repeat; orders and requests
/// must not, so each is created only when none is open for the same thing.
struct DMSRoutes {
    let api: API

    /// The `type` member, as the API and the event log spell it.
    enum Kind: String, CaseIterable { case toner_level, error }

    enum Event {
        case tonerLevel(ConsumableOrder.Item, Int)
        case error(code: String, message: String)

        var kind: Kind {
            if case .tonerLevel = self { return .toner_level }
            return .error
        }
    }

    /// `device.alert_raised` for an error code and `device.ip_address_missing`
    /// for any event from a device without an address: the device as stored,
    /// with the DMS event that raised it.
    private func publish(_ connection: Connection, device: Device, dmsEvent: JSONValue, alert: Bool) throws {
        let data = JSONValue.written { json in
            json.object { json in
                device.writeMembers(to: &json)
                json.member("dms_event", dmsEvent)
            }
        }
        if alert { try api.publish(connection, .deviceAlertRaised, dealer: device.dealerID, id: device.serial, data) }
        if device.ipAddress == nil {
            try api.publish(connection, .deviceIPAddressMissing, dealer: device.dealerID, id: device.serial, data)
        }
    }

    func register(on group: inout RouteGroup) {
        group.post("/dms/events") { request in
            _ = try request.principal(.admin, .dealer)
            let now = Date()
            let (serial, at, event) = try request.decode { body -> (String, Date, Event)? in
                let serial = body.deviceSerial("device_serial")
                let at = body.pastInstant("at", now: now)
                var event: Event?
                switch body.choice("type", Kind.self) {
                case .toner_level:
                    let item = body.choice("channel", ConsumableOrder.Item.self)
                    let level = body.int("level_percent", range: 0...100)
                    if let item, let level { event = .tonerLevel(item, level) }
                case .error:
                    let code = body.string("code", maxLength: 64)
                    let message = body.string("message", required: false, maxLength: 1_000)
                    if let code { event = .error(code: code, message: message ?? "") }
                case nil:
                    break
                }
                guard let serial, let at, let event else { return nil }
                return (serial, at, event)
            }
            return try api.write(request) { connection, principal in
                guard let device = try DeviceStore.find(connection, serial: serial, scope: principal.dealerScope) else {
                    throw APIProblem.notFound("device", serial)
                }
                let ipMissing = device.ipAddress == nil
                var action: JSONValue
                let detail: JSONValue
                switch event {
                case let .tonerLevel(item, level):
                    detail = .object([("channel", .string(item.rawValue)), ("level_percent", .int(level))])
                    if level > api.catalogue.consumableAlertThresholdPercent {
                        action = .object([("type", .string("none"))])
                    } else if let open = try ConsumableOrderStore.openOrder(connection, serial: serial, item: item) {
                        action = .object([("type", .string("consumable_order_already_open")), ("order_id", .string(open.id))])
                    } else {
                        let order = try ConsumableOrderStore.create(connection, device: device, item: item, levelPercent: level, at: at)
                        try api.audit(connection, principal, "consumable_order.create", "consumable_order", order.id, dealer: device.dealerID,
                                      [("device_serial", .string(serial)), ("channel", .string(item.rawValue)), ("level_percent", .int(level))])
                        try api.publish(connection, .consumableOrderOpened, dealer: order.dealerID, id: order.id, order.json)
                        action = .object([("type", .string("consumable_order_created")), ("order_id", .string(order.id))])
                    }
                case let .error(code, message):
                    detail = .object([("code", .string(code)), ("message", .string(message))])
                    if let open = try ServiceRequestStore.openForAlert(connection, serial: serial, code: code) {
                        action = .object([("type", .string("service_request_already_open")), ("service_request_id", .string(open))])
                    } else {
                        let created = try api.openServiceRequest(
                            connection, device: device, reportedAt: at, category: .device_alert,
                            description: message.isEmpty ? "DMS error \(code)" : "DMS error \(code): \(message)", source: .dms, alertCode: code
                        )
                        try api.audit(connection, principal, "service_request.create", "service_request", created.id, dealer: device.dealerID,
                                      [("device_serial", .string(serial)), ("alert_code", .string(code))])
                        try api.publish(connection, .serviceRequestCreated, dealer: created.dealerID, id: created.id,
                                        ServiceRequestRoutes(api: api).present(created))
                        action = .object([("type", .string("service_request_created")), ("service_request_id", .string(created.id))])
                    }
                }
                try connection.execute(
                    "INSERT INTO dms_events (device_serial, at, type, detail, ip_address_missing, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [serial, RFC3339.format(at), event.kind.rawValue, detail.encoded(), ipMissing, Timestamp.now()]
                )
                let eventID = connection.lastInsertRowID
                try publish(connection, device: device, dmsEvent: .object([
                    ("id", .int(Int(eventID))), ("type", .string(event.kind.rawValue)), ("at", .string(RFC3339.format(at))), ("detail", detail),
                    ("action", action),
                ]), alert: event.kind == .error)
                var flags: [JSONValue] = []
                if ipMissing { flags.append(.string("ip_address_missing")) }
                return APIResponse.json(.created, .object([
                    ("event_id", .int(Int(eventID))), ("device_serial", .string(serial)), ("type", .string(event.kind.rawValue)),
                    ("ip_address_missing", .bool(ipMissing)), ("flags", .array(flags)), ("action", action),
                ]))
            }
        }
    }
}
