/// Meter readings stored all or nothing, a DMS batch or a single reading
/// alike: each device's new readings are checked against each other and
/// against the device's stored readings around them (`MeterValidation`)
/// before any reading of the request is stored. A reading the device already
/// has with the same figures is a resend: accepted, not stored again.
public enum MeterIngestion {
    public struct Outcome: Sendable, Equatable {
        public let received: Int
        public let stored: Int
        public var duplicates: Int { received - stored }
    }

    public enum Refusal: Error, Sendable, Equatable {
        /// Unknown devices (or another dealer's) and counters going back,
        /// with any conflicting readings of the same request listed too.
        case invalid([ValidationIssue])
        /// Readings at an instant the device already has, with other figures.
        case conflicting([ValidationIssue])
    }

    /// `scope` is the dealer whose devices the readings may name (nil: any).
    public static func ingest(_ connection: Connection, _ input: MeterReadingInput.Decoded, scope: String?, receivedAt: Int64) throws -> Outcome {
        var issues: [ValidationIssue] = []
        var conflicts: [ValidationIssue] = []
        var accepted: [MeterReading] = []
        let byDevice = Dictionary(grouping: input.readings) { $0.reading.deviceSerial }
        for serial in byDevice.keys.sorted() {
            let group = byDevice[serial]!
            guard try DeviceStore.find(connection, serial: serial, scope: scope) != nil else {
                issues += group.map { ValidationIssue(field: input.field($0.index, "device_serial"), message: "unknown device \(serial)") }
                continue
            }
            let instants = group.map(\.reading.readAt)
            let stored = try MeterReadingStore.around(connection, serial: serial, from: instants.min()!, to: instants.max()!)
            let outcome = MeterValidation.check(new: group, stored: stored)
            for problem in outcome.problems {
                switch problem {
                case let .decreasing(index, field, message):
                    issues.append(ValidationIssue(field: input.field(index, field), message: message))
                case let .conflict(index, message):
                    conflicts.append(ValidationIssue(field: input.field(index, "read_at"), message: message))
                }
            }
            let keep = Set(outcome.accepted)
            accepted += group.filter { keep.contains($0.index) }.map(\.reading)
        }
        if !issues.isEmpty { throw Refusal.invalid(issues + conflicts) }
        if !conflicts.isEmpty { throw Refusal.conflicting(conflicts) }
        try MeterReadingStore.insert(connection, accepted, receivedAt: receivedAt)
        return Outcome(received: input.readings.count, stored: accepted.count)
    }
}
