/// Pages printed over an interval, from cumulative readings. Pure, so
/// billing and reports compute it from inputs, and so it can be checked by
/// hand.
///
/// Between two readings the counters are taken to rise linearly; the value
/// at an interval boundary is interpolated and rounded down. Usage over
/// [from, to) is the counter at `to` minus the counter at `from`, summed per
/// meter era (a counter reset starts a new era). Because both sides of a
/// boundary use the same rounded value, usage over adjacent intervals adds
/// up exactly to usage over their union.
public struct Usage: Sendable, Equatable {
    public let counters: MeterCounters
    /// A boundary not bracketed by readings (no reading after it, or none
    /// before it), or a counter reset inside the interval: figures are a
    /// lower bound from what was read.
    public let estimated: Bool

    public init(counters: MeterCounters, estimated: Bool) {
        self.counters = counters
        self.estimated = estimated
    }

    public static func over(from: Int64, to: Int64, readings: [MeterReading]) -> Usage {
        precondition(from <= to)
        // Callers pass readings in time order; sorting them again would copy.
        // Loops go by index: iterating would copy every reading.
        let inOrder = readings.indices.dropFirst().allSatisfy { readings[$0 - 1].readAt <= readings[$0].readAt }
        let sorted = inOrder ? readings : readings.sorted { $0.readAt < $1.readAt }
        guard let firstAt = sorted.first?.readAt, let lastAt = sorted.last?.readAt else { return Usage(counters: .zero, estimated: true) }
        var estimated = from < firstAt || to > lastAt
        var total = MeterCounters.zero
        for index in sorted.indices.dropFirst() {
            // The segment (a, b] of one meter era, clipped to [from, to).
            let start = max(sorted[index - 1].readAt, from)
            let end = min(sorted[index].readAt, to)
            guard start < end else { continue }
            if sorted[index].counterReset {
                estimated = true  // what the old meter counted after `a` is unknown
                continue
            }
            let a = sorted[index - 1], b = sorted[index]
            total = total + (value(at: end, a, b) - value(at: start, a, b))
        }
        return Usage(counters: total, estimated: estimated)
    }

    /// The counters at `instant` on the line from `a` to `b`, rounded down.
    static func value(at instant: Int64, _ a: MeterReading, _ b: MeterReading) -> MeterCounters {
        if instant <= a.readAt { return a.counters }
        if instant >= b.readAt { return b.counters }
        let span = b.readAt - a.readAt
        let elapsed = instant - a.readAt
        // Counter deltas times milliseconds can exceed 64 bits: multiply at
        // full width. Both factors are non-negative, so the quotient rounds down.
        func at(_ start: Int, _ end: Int) -> Int {
            start + Int(span.dividingFullWidth(Int64(end - start).multipliedFullWidth(by: elapsed)).quotient)
        }
        let x = a.counters, y = b.counters
        return MeterCounters(bwA4: at(x.bwA4, y.bwA4), bwA3: at(x.bwA3, y.bwA3), colourA4: at(x.colourA4, y.colourA4),
                             colourA3: at(x.colourA3, y.colourA3), bannerBW: at(x.bannerBW, y.bannerBW),
                             bannerColour: at(x.bannerColour, y.bannerColour))
    }
}
