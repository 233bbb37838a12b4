/// Migration 9: stored device serials brought to the one form every input
/// path now produces (`DeviceSerial.normalised`: trimmed, ASCII upper case),
/// in devices and in every table that names a device. SQLite's `upper` and
/// `trim` are ASCII-only, as that function is.
///
/// Two devices whose serials differ only in case (`bad0001`, `BAD0001`)
/// would become one; which of them is the real device is for a person to
/// decide, so the migration stops, changing nothing, and names them.
enum SerialNormalisation {
    struct Collision: Error, CustomStringConvertible {
        let groups: [String]
        var description: String {
            "migration 9 (device serials in upper case) stopped: these devices' serials differ only in case or surrounding spaces, "
                + "so they would become one device: \(groups.joined(separator: "; ")). Merge or re-serial them (the same "
                + "physical device registered twice keeps one row) and start again; nothing was changed."
        }
    }

    /// Tables and columns holding a device serial, the device itself first.
    static let columns = [
        ("devices", "serial"), ("contract_devices", "device_serial"), ("service_requests", "device_serial"),
        ("meter_readings", "device_serial"), ("dms_events", "device_serial"), ("consumable_orders", "device_serial"),
        ("billing_lines", "device_serial"),
    ]

    static let migration = Migration(version: 9, name: "device serials trimmed and in upper case") { connection in
        let groups = try connection.fetchAll("""
            SELECT group_concat(serial, ', ') FROM (SELECT serial, \(expression("serial")) AS form FROM devices ORDER BY serial)
            GROUP BY form HAVING count(*) > 1 ORDER BY form
            """).map { try $0.get(0, as: String.self) }
        guard groups.isEmpty else { throw Collision(groups: groups) }
        // Children point at the old serials until their own update: the
        // foreign keys are checked at commit, when all agree again.
        try connection.execute("PRAGMA defer_foreign_keys = ON")
        for (table, column) in columns {
            try connection.execute("UPDATE \(table) SET \(column) = \(expression(column)) WHERE \(column) <> \(expression(column))")
        }
    }

    static func expression(_ column: String) -> String {
        "upper(trim(\(column), ' ' || char(9, 10, 13)))"
    }
}
