import ServiceJSON

/// A wrong reading is voided, not deleted nor overwritten: it leaves every
/// computation (usage, billing, the neighbour checks of later readings) and
/// is kept, with who voided it, when and why, in `voided_meter_readings`
/// and the audit trail. A later run of a year already billed bills the
/// difference as adjustments, like any late change.
public enum MeterCorrection {
    public enum Failure: Error, Sendable, Equatable {
        /// No reading of the device at that instant (perhaps voided already).
        case notFound(alreadyVoidedAt: String?)
        /// Without the reading, the two around it would not fit together.
        case neighboursDisagree(String)
    }

    /// The neighbours once `readAt` is gone: the reading after it must not
    /// count less than the one before it, unless it starts a new baseline.
    /// `around` holds the stored readings from the one before `readAt` to the one after.
    public static func neighbourProblem(removing readAt: Int64, around: [MeterReading]) -> String? {
        guard let index = around.firstIndex(where: { $0.readAt == readAt }), index > 0, index + 1 < around.count else { return nil }
        let earlier = around[index - 1], later = around[index + 1]
        guard !later.counterReset else { return nil }
        let before = earlier.counters.values, after = later.counters.values
        guard let field = (0..<before.count).first(where: { after[$0] < before[$0] }) else { return nil }
        let name = MeterCounters.names[field]
        return "without it, \(name) \(after[field]) of the reading at \(MeterValidation.instant(later.readAt)) would be below "
            + "\(before[field]) of the reading at \(MeterValidation.instant(earlier.readAt)); void the later reading first, "
            + "or send it again with counter_reset: true"
    }

    /// Voids the reading of `serial` at `readAt` (the caller has checked the
    /// device is the principal's), records it and the reason, and returns it.
    public static func void(_ connection: Connection, serial: String, readAt: Int64, reason: String, principal: Principal,
                            dealerID: String, at now: String) throws -> MeterReading {
        guard let reading = try MeterReadingStore.find(connection, serial: serial, readAt: readAt) else {
            throw Failure.notFound(alreadyVoidedAt: try MeterReadingStore.voidedAt(connection, serial: serial, readAt: readAt))
        }
        let around = try MeterReadingStore.around(connection, serial: serial, from: readAt - 1, to: readAt + 1)
        if let problem = neighbourProblem(removing: readAt, around: around) { throw Failure.neighboursDisagree(problem) }
        try MeterReadingStore.void(connection, reading, reason: reason, keyID: principal.keyID, at: now)
        try AuditStore.record(connection, principal: principal, action: "meter_reading.void", resourceType: "meter_reading",
                              resourceID: "\(serial)@\(MeterValidation.instant(readAt))", dealerID: dealerID, detail: .object([
                                  ("device_serial", .string(serial)), ("read_at", .string(MeterValidation.instant(readAt))),
                                  ("counters", reading.counters.json), ("source", .string(reading.source.rawValue)),
                                  ("counter_reset", .bool(reading.counterReset)), ("reason", .string(reason)),
                              ]))
        return reading
    }
}
