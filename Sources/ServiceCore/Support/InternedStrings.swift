import Foundation

/// A fixed set of strings found by their UTF-8 bytes, handing out the set's
/// own instance. Decoding a stored list of catalogue ids through one makes
/// no new string for an id the catalogue holds: most product ids are longer
/// than Swift stores inline, so each would be an allocation and a free on
/// the member read, ten to a member. Kept by length, and the few of one
/// length compared byte for byte, which costs less than hashing.
public struct InternedStrings: Sendable {
    /// Index: UTF-8 length. Each: the strings of that length, and their bytes back to back.
    private let byLength: [(strings: [String], bytes: [UInt8])]

    public init(_ strings: some Sequence<String>) {
        var byLength: [(strings: [String], bytes: [UInt8])] = []
        for string in Set(strings) {
            let length = string.utf8.count
            if byLength.count <= length { byLength += Array(repeating: ([], []), count: length + 1 - byLength.count) }
            byLength[length].strings.append(string)
            byLength[length].bytes.append(contentsOf: string.utf8)
        }
        self.byLength = byLength
    }

    /// The set's string with these bytes; a new one if the set has none.
    public func string(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String {
        let length = bytes.count
        if length > 0, length < byLength.count, let base = bytes.baseAddress {
            let bucket = byLength[length]
            let found = bucket.bytes.withUnsafeBufferPointer { stored -> Int? in
                bucket.strings.indices.first { memcmp(stored.baseAddress! + $0 * length, base, length) == 0 }
            }
            if let found { return bucket.strings[found] }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
