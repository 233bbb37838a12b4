import Foundation

/// A fixed list of strings found by their UTF-8 bytes: where one stands in
/// the list, and the list's own instance of it. Decoding stored catalogue
/// ids through one makes no new string for an id the catalogue holds (most
/// product ids are longer than Swift stores inline, so each would be an
/// allocation and a free, ten to a member read), and the position finds the
/// catalogue's entry without a second index. Kept by length, and the few of
/// one length compared byte for byte, which costs less than hashing.
public struct InternedStrings: Sendable {
    /// None: every look-up misses and `string(utf8:)` makes a new string.
    public static let none = InternedStrings([])

    private let strings: [String]
    /// Index: UTF-8 length. Each: positions in `strings` of that length, and their bytes back to back.
    private let byLength: [(positions: [Int], bytes: [UInt8])]

    /// A string listed twice is found at its first position.
    public init(_ strings: [String]) {
        self.strings = strings
        var byLength: [(positions: [Int], bytes: [UInt8])] = []
        var seen = Set<String>()
        for (position, string) in strings.enumerated() where seen.insert(string).inserted {
            let length = string.utf8.count
            if byLength.count <= length { byLength += Array(repeating: ([], []), count: length + 1 - byLength.count) }
            byLength[length].positions.append(position)
            byLength[length].bytes.append(contentsOf: string.utf8)
        }
        self.byLength = byLength
    }

    /// Where the string with these bytes stands in the list; nil if it is not there.
    public func position(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let length = bytes.count
        guard length < byLength.count else { return nil }
        let bucket = byLength[length]
        guard length > 0, let base = bytes.baseAddress else { return bucket.positions.first }
        return bucket.bytes.withUnsafeBufferPointer { stored in
            bucket.positions.indices.first { memcmp(stored.baseAddress! + $0 * length, base, length) == 0 }.map { bucket.positions[$0] }
        }
    }

    public func position(of string: String) -> Int? {
        var string = string
        return string.withUTF8 { position(utf8: $0) }
    }

    /// The list's string with these bytes; a new one if the list has none.
    public func string(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String {
        position(utf8: bytes).map { strings[$0] } ?? String(decoding: bytes, as: UTF8.self)
    }
}
