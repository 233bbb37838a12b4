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

