import Foundation
import ServiceJSON

/// What `POST /v1/meter-readings` accepts: one reading, or
/// `{"readings": [...]}` with up to `maxBatch`. This is the authority on
/// validation; `MeterReadingBatchScanner` only speeds up bodies this path
/// would accept as they are.
public enum MeterReadingInput {
    public static let maxBatch = 10_000
    /// A batch's JSON: a reading is one object of at most ten members, so a
    /// batch one reading over `maxBatch` still parses, and its answer is the
    /// 422 naming `readings`; a body of many more values is refused (413)
    /// before its value tree outgrows what a full batch needs.
    public static let jsonLimits = JSONParser.Limits(
        maxDepth: JSONParser.Limits.request.maxDepth,
        maxValues: 2 + 12 * (maxBatch + 1),
        maxStringBytes: JSONParser.Limits.request.maxStringBytes
    )
    /// Counters beyond this are not plausible for any device.
    public static let counterRange = 0...Int(Int32.max) * 1_000

    /// The readings of a request, each with its index, and whether they came
    /// as a batch: that decides how a field of one is named in an answer.
    public struct Decoded {
        public let readings: [(index: Int, reading: MeterReading)]
        public let isBatch: Bool

        public init(readings: [(index: Int, reading: MeterReading)], isBatch: Bool) {
            self.readings = readings
            self.isBatch = isBatch
        }

        /// `readings[i].field` in a batch, even a batch of one; `field` for a single reading.
        public func field(_ index: Int, _ name: String) -> String { isBatch ? "readings[\(index)].\(name)" : name }
    }

    /// Every problem is recorded in `root.issues` under its path (`readings[i].field`).
    public static func decode(_ root: ObjectReader, now: Date) -> Decoded {
        var out: [(Int, MeterReading)] = []
        let isBatch = root.contains("readings")
        if isBatch {
            let items = root.array("readings", maxCount: maxBatch) ?? []
            root.rejectUnknownFields()
            if items.isEmpty, root.issues.list.isEmpty { root.issues.add("readings", "must contain at least one reading") }
            for (index, item) in items.enumerated() {
                guard let reader = ObjectReader(item, path: "readings[\(index)]", issues: root.issues) else { continue }
                if let reading = reading(reader, now: now) { out.append((index, reading)) }
            }
        } else if let reading = reading(root, now: now) {
            out.append((0, reading))
        }
        return Decoded(readings: out, isBatch: isBatch)
    }

    static func reading(_ body: ObjectReader, now: Date) -> MeterReading? {
        let serial = body.deviceSerial("device_serial")
        let readAt = body.pastInstantAsSent("read_at", now: now).map(millis)
        let bwA4 = body.int("bw_a4", range: counterRange), bwA3 = body.int("bw_a3", range: counterRange)
        let colourA4 = body.int("colour_a4", range: counterRange), colourA3 = body.int("colour_a3", range: counterRange)
        let bannerBW = body.int("banner_bw", range: counterRange), bannerColour = body.int("banner_colour", range: counterRange)
        let source = body.choice("source", MeterReading.Source.self)
        let reset = body.bool("counter_reset", required: false) ?? false
        body.rejectUnknownFields()
        guard let serial, let readAt, let source, let bwA4, let bwA3, let colourA4, let colourA3, let bannerBW, let bannerColour else { return nil }
        return MeterReading(
            deviceSerial: serial, readAt: readAt,
            counters: MeterCounters(bwA4: bwA4, bwA3: bwA3, colourA4: colourA4, colourA3: colourA3, bannerBW: bannerBW, bannerColour: bannerColour),
            source: source, counterReset: reset
        )
    }

    /// Stored precision: whole milliseconds, rounded down.
    public static func millis(_ instant: Date) -> Int64 { Int64((instant.timeIntervalSince1970 * 1000).rounded(.down)) }
}
