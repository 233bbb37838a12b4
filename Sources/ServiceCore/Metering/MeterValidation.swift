/// Checks new readings of one device against each other and against the
/// stored readings around them: counters never decrease from one reading to
/// the next in time, unless the later one starts a new baseline.
public enum MeterValidation {
    public enum Problem: Sendable, Equatable {
        /// Index into the new readings, and what is wrong.
        case decreasing(index: Int, field: String, message: String)
        /// Same instant as a stored or earlier new reading with other figures.
        case conflict(index: Int, message: String)
    }

    public struct Outcome: Sendable, Equatable {
        /// Indices of new readings to insert (resends and repeats removed).
        public let accepted: [Int]
        public let problems: [Problem]
    }

    /// `new` pairs each reading with its index in the request. `stored` are
    /// the device's stored readings from the one before the earliest new
    /// reading to the one after the latest.
    public static func check(new: [(index: Int, reading: MeterReading)], stored: [MeterReading]) -> Outcome {
        enum Origin { case stored, new(Int) }
        var merged: [(reading: MeterReading, origin: Origin)] = stored.map { ($0, .stored) }
        var problems: [Problem] = []
        var accepted: [Int] = []
        var byInstant: [Int64: (MeterReading, Origin)] = Dictionary(stored.map { ($0.readAt, ($0, Origin.stored)) }, uniquingKeysWith: { a, _ in a })
        for (index, reading) in new {
            if let (existing, origin) = byInstant[reading.readAt] {
                if !existing.sameFigures(as: reading) {
                    let whose: String
                    if case .new(let other) = origin { whose = "reading \(other) of this request" } else { whose = "a stored reading" }
                    problems.append(.conflict(index: index, message: "\(whose) at the same instant has other figures"))
                }
                continue  // identical: accepted again without a duplicate
            }
            byInstant[reading.readAt] = (reading, .new(index))
            merged.append((reading, .new(index)))
            accepted.append(index)
        }
        merged.sort { $0.reading.readAt < $1.reading.readAt }
        for (earlier, later) in zip(merged, merged.dropFirst()) where !later.reading.counterReset {
            let b = earlier.reading.counters, a = later.reading.counters
            // The common case, checked without building arrays.
            if a.bwA4 >= b.bwA4 && a.bwA3 >= b.bwA3 && a.colourA4 >= b.colourA4 && a.colourA3 >= b.colourA3
                && a.bannerBW >= b.bannerBW && a.bannerColour >= b.bannerColour { continue }
            let before = b.values
            let after = a.values
            guard let field = (0..<6).first(where: { after[$0] < before[$0] }) else { continue }
            let name = MeterCounters.names[field]
            switch (earlier.origin, later.origin) {
            case (_, .new(let index)):
                problems.append(.decreasing(index: index, field: name, message:
                    "\(name) \(after[field]) is below \(before[field]) of the reading at \(instant(earlier.reading.readAt)); send counter_reset: true for a new baseline"))
            case (.new(let index), .stored):
                problems.append(.decreasing(index: index, field: name, message:
                    "\(name) \(before[field]) exceeds \(after[field]) of the later reading at \(instant(later.reading.readAt))"))
            case (.stored, .stored):
                break
            }
        }
        let bad = Set(problems.map { problem -> Int in
            switch problem {
            case .decreasing(let index, _, _), .conflict(let index, _): return index
            }
        })
        return Outcome(accepted: accepted.filter { !bad.contains($0) }, problems: problems)
    }

    static func instant(_ millis: Int64) -> String {
        RFC3339.format(.init(timeIntervalSince1970: Double(millis) / 1000))
    }
}
