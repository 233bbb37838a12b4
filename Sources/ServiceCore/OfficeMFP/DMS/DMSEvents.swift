import Foundation
import ServiceJSON

/// What the Device Management Service reports about a device.
public enum DMSEvent: Sendable {
    case tonerLevel(ConsumableOrder.Item, Int)
    case error(code: String, message: String)

    /// The `type` member, as the API and the event log spell it.
    public enum Kind: String, CaseIterable, Sendable { case toner_level, error }

    public var kind: Kind {
        if case .tonerLevel = self { return .toner_level }
        return .error
    }

    /// The event's own figures, as stored and shown.
    public var detail: JSONValue {
        switch self {
        case let .tonerLevel(item, level): return .object([("channel", .string(item.rawValue)), ("level_percent", .int(level))])
        case let .error(code, message): return .object([("code", .string(code)), ("message", .string(message))])
        }
    }
}

/// DMS events in: a toner level at or below the catalogue's threshold
/// dispatches consumables, an error code opens a service request. Alerts
/// repeat; orders and requests must not, so each is created only when none
/// is open for the same channel or code. Every event is kept.
public enum DMSEvents {
    public enum Action: Sendable {
        case none
        case consumableOrderAlreadyOpen(id: String)
        case consumableOrderCreated(ConsumableOrder)
        case serviceRequestAlreadyOpen(id: String)
        case serviceRequestCreated(ServiceRequest)
    }

    public struct Received: Sendable {
        public let id: Int64
        public let device: Device
        public let action: Action
        public var ipAddressMissing: Bool { device.ipAddress == nil }
    }

    public static func receive(
        _ connection: Connection, serial: String, at: Date, _ event: DMSEvent, scope: String?, catalogue: Catalogue, calendar: SupportCalendar
    ) throws -> Received {
        guard let device = try DeviceStore.find(connection, serial: serial, scope: scope) else {
            throw MFPFailure.notFound(kind: "device", id: serial)
        }
        let action: Action
        switch event {
        case let .tonerLevel(item, level):
            if level > catalogue.consumableAlertThresholdPercent {
                action = .none
            } else if let open = try ConsumableOrderStore.openOrder(connection, serial: serial, item: item) {
                action = .consumableOrderAlreadyOpen(id: open.id)
            } else {
                action = .consumableOrderCreated(try ConsumableOrderStore.create(connection, device: device, item: item, levelPercent: level, at: at))
            }
        case let .error(code, message):
            if let open = try ServiceRequestStore.openForAlert(connection, serial: serial, code: code) {
                action = .serviceRequestAlreadyOpen(id: open)
            } else {
                action = .serviceRequestCreated(try ServiceRequestIntake.open(
                    connection, device: device, reportedAt: at, category: .device_alert,
                    description: message.isEmpty ? "DMS error \(code)" : "DMS error \(code): \(message)", source: .dms, alertCode: code,
                    catalogue: catalogue, calendar: calendar
                ))
            }
        }
        return Received(id: try DMSEventStore.insert(connection, device: device, at: at, event), device: device, action: action)
    }
}
