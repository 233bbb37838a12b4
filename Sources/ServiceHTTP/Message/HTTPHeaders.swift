/// Header fields in arrival order. Duplicates are kept, never overwritten:
/// deciding what a repeated field means is the reader's job (RFC 9110 §5.3),
/// and silently keeping the last one is how request smuggling starts.
public struct HTTPHeaders: Sendable, Sequence {
    public typealias Element = (name: String, value: String)
    private var fields: [Element] = []

    public init() {}

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[Element]> { fields.makeIterator() }

    /// Appends a field. Names and values come from this program's own code;
    /// the serializer still refuses CR, LF and NUL so a handler bug can never
    /// split a response.
    public mutating func add(_ name: String, _ value: String) {
        // Room for a typical request's or response's fields at once: grown
        // one append at a time, the array was copied three times a request.
        if fields.capacity == 0 { fields.reserveCapacity(Self.typicalCount) }
        fields.append((name: name, value: value))
    }

    static let typicalCount = 8

    /// Replaces every field of that name with one.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        fields.append((name: name, value: value))
    }

    public mutating func remove(_ name: String) {
        // Usually absent (a response's X-Request-Id before the middleware sets
        // it): looking first spares the array a mutation.
        guard contains(name) else { return }
        fields.removeAll { asciiCaseInsensitiveEquals($0.name, name) }
    }

    /// The first value of a field, for fields that must occur once.
    public subscript(_ name: String) -> String? {
        fields.first { asciiCaseInsensitiveEquals($0.name, name) }?.value
    }

    public func values(_ name: String) -> [String] {
        fields.compactMap { asciiCaseInsensitiveEquals($0.name, name) ? $0.value : nil }
    }

    public func contains(_ name: String) -> Bool {
        fields.contains { asciiCaseInsensitiveEquals($0.name, name) }
    }
}

@inline(__always) @usableFromInline
func asciiLower(_ byte: UInt8) -> UInt8 {
    (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
}

/// Field names and tokens are ASCII, so case folding is a byte operation and
/// needs no String allocation. Inlinable so the daemon's header look-ups
/// are specialised for `String`: called through the generic entry, each
/// compare walked a zip of two UTF-8 views through witness tables.
@inlinable
public func asciiCaseInsensitiveEquals<A: StringProtocol, B: StringProtocol>(_ a: A, _ b: B) -> Bool {
    let left = a.utf8, right = b.utf8
    guard left.count == right.count else { return false }
    // Native strings and their substrings are contiguous: compare bytes, not view iterators.
    if let equal = left.withContiguousStorageIfAvailable({ l in
        right.withContiguousStorageIfAvailable { r in asciiCaseInsensitiveEquals(bytes: l, r) }
    }), let equal {
        return equal
    }
    return zip(left, right).allSatisfy { asciiLower($0) == asciiLower($1) }
}

@inlinable
func asciiCaseInsensitiveEquals(bytes left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
    for index in left.indices where asciiLower(left[index]) != asciiLower(right[index]) { return false }
    return true
}

extension StringProtocol {
    func trimmingOWS() -> SubSequence {
        var start = startIndex, end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start {
            let before = index(before: end)
            guard self[before] == " " || self[before] == "\t" else { break }
            end = before
        }
        return self[start..<end]
    }
}
