import Foundation

/// Opaque resource ids: a type prefix, then the creation time in
/// milliseconds (so ids sort by creation and pages are stable) and random
/// bits (so they cannot be guessed or enumerated).
public enum Identifier {
    public static func make(_ prefix: String, now: Date = Date()) -> String {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var time = String(millis, radix: 16)
        time = String(repeating: "0", count: max(0, 12 - time.count)) + time
        let random = (try? SecureRandom.bytes(count: 8)) ?? (0..<8).map { _ in UInt8.random(in: 0...255) }
        return "\(prefix)_\(time)\(Hex.encode(random))"
    }
}

/// Instants as stored and shown: RFC 3339 UTC with a `Z`, whole seconds.
public enum Timestamp {
    /// `RFC3339.format`, not a Foundation formatter built per call: every
    /// write stamps a row with this.
    public static func now() -> String { RFC3339.format(Date()) }
}
