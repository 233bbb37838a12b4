import ServiceJSON

/// Cumulative counters of a device at an instant (milliseconds since the
/// epoch). Banner prints have counters of their own, separate from A3.
public struct MeterCounters: Sendable, Equatable {
    public var bwA4: Int
    public var bwA3: Int
    public var colourA4: Int
    public var colourA3: Int
    public var bannerBW: Int
    public var bannerColour: Int

    public init(bwA4: Int, bwA3: Int, colourA4: Int, colourA3: Int, bannerBW: Int, bannerColour: Int) {
        self.bwA4 = bwA4
        self.bwA3 = bwA3
        self.colourA4 = colourA4
        self.colourA3 = colourA3
        self.bannerBW = bannerBW
        self.bannerColour = bannerColour
    }

    public static let zero = MeterCounters(bwA4: 0, bwA3: 0, colourA4: 0, colourA3: 0, bannerBW: 0, bannerColour: 0)

    /// Field names as the API spells them, in a fixed order.
    public static let names = ["bw_a4", "bw_a3", "colour_a4", "colour_a3", "banner_bw", "banner_colour"]

    public var values: [Int] { [bwA4, bwA3, colourA4, colourA3, bannerBW, bannerColour] }

    /// `{"bw_a4": …, …}`, as usage reports and billing explanations show them.
    public var json: JSONValue { .object(zip(Self.names, values).map { ($0, .int($1)) }) }

    // Field by field: these run per reading pair in billing, where arrays
    // would allocate.
    public static func + (lhs: MeterCounters, rhs: MeterCounters) -> MeterCounters {
        MeterCounters(bwA4: lhs.bwA4 + rhs.bwA4, bwA3: lhs.bwA3 + rhs.bwA3, colourA4: lhs.colourA4 + rhs.colourA4,
                      colourA3: lhs.colourA3 + rhs.colourA3, bannerBW: lhs.bannerBW + rhs.bannerBW, bannerColour: lhs.bannerColour + rhs.bannerColour)
    }

    public static func - (lhs: MeterCounters, rhs: MeterCounters) -> MeterCounters {
        MeterCounters(bwA4: lhs.bwA4 - rhs.bwA4, bwA3: lhs.bwA3 - rhs.bwA3, colourA4: lhs.colourA4 - rhs.colourA4,
                      colourA3: lhs.colourA3 - rhs.colourA3, bannerBW: lhs.bannerBW - rhs.bannerBW, bannerColour: lhs.bannerColour - rhs.bannerColour)
    }

    // Page figures. A3 and banner prints count as two A4; a banner is one
    // A3 click and one banner click.
    public var bwPages: Int { bwA4 + bwA3 + bannerBW }
    public var colourPages: Int { colourA4 + colourA3 + bannerColour }
    public var colourA4Equivalents: Int { colourA4 + 2 * colourA3 + 2 * bannerColour }
    public var bwA4Equivalents: Int { bwA4 + 2 * bwA3 + 2 * bannerBW }
    public var a4Equivalents: Int { bwA4Equivalents + colourA4Equivalents }
    public var bannerClicks: Int { bannerBW + bannerColour }
}

public struct MeterReading: Sendable, Equatable {
    public enum Source: String, Sendable, CaseIterable { case dms, manual, estimate }

    public let deviceSerial: String
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let readAt: Int64
    public let counters: MeterCounters
    public let source: Source
    /// Starts a new baseline (device swap, board replacement): not compared
    /// with the reading before it.
    public let counterReset: Bool

    public init(deviceSerial: String, readAt: Int64, counters: MeterCounters, source: Source, counterReset: Bool) {
        self.deviceSerial = deviceSerial
        self.readAt = readAt
        self.counters = counters
        self.source = source
        self.counterReset = counterReset
    }

    /// Same instant, same figures: a resend, not a conflict.
    public func sameFigures(as other: MeterReading) -> Bool {
        counters == other.counters && counterReset == other.counterReset
    }
}
