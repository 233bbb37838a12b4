extension String {
    /// `body` over the string's UTF-8 as one buffer. Native strings (and
    /// literals) lend theirs; others, bridged or lazily built, are copied
    /// once. Serializing and comparing header bytes through a buffer avoids
    /// the view iterators and generic append paths that were a third of a
    /// response head's cost.
    @inlinable
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        return try Array(utf8).withUnsafeBufferPointer(body)
    }
}

extension Array where Element == UInt8 {
    /// Appends the string's UTF-8 with one copy.
    @inlinable
    mutating func append(utf8 text: String) {
        text.withUTF8Bytes { append(contentsOf: $0) }
    }
}

extension Array where Element == UInt8 {
    /// Appends an integer's decimal digits, without making a String of them
    /// first (a status code and a length every response).
    mutating func append(decimal value: Int) {
        guard value >= 0 else { return append(utf8: String(value)) }
        var digits = 1, rest = value / 10
        while rest > 0 { digits += 1; rest /= 10 }
        let start = count
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var remaining = value
        for index in stride(from: start + digits - 1, through: start, by: -1) {
            self[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        }
    }
}
