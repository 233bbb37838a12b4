import Foundation

/// Every DMS event as it arrived, whatever it started.
public enum DMSEventStore {
    /// Keeps the event; returns its id.
    public static func insert(_ connection: Connection, device: Device, at: Date, _ event: DMSEvent) throws -> Int64 {
        try connection.execute(
            "INSERT INTO dms_events (device_serial, at, type, detail, ip_address_missing, received_at) VALUES (?, ?, ?, ?, ?, ?)",
            [device.serial, RFC3339.format(at), event.kind.rawValue, event.detail.encoded(), device.ipAddress == nil, Timestamp.now()]
        )
        return connection.lastInsertRowID
    }
}
