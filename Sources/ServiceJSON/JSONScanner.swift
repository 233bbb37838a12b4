/// A forward-only reader over the plain subset of JSON, for hot paths that
/// decode one known shape straight into values instead of building a
/// `JSONValue` tree first. Every read answers nil (or false) on anything
/// outside that subset: escapes, non-ASCII or control bytes in strings,
/// signs, fractions and exponents in numbers. The caller then hands the whole
/// body to `JSONParser` and its validation, which stay the single authority
/// on what is accepted and on every error message.
public struct JSONScanner {
    public let bytes: [UInt8]
    public private(set) var index = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Whitespace, then `byte`, which is consumed; false leaves it in place.
    public mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// True when only whitespace is left.
    public mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return index == bytes.count
    }

    /// The bytes between the quotes of a string made only of printable ASCII
    /// (0x20...0x7E) with no escape: such a string is exactly those bytes.
    public mutating func plainString() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return start..<(index - 1)
            }
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// `0` or a run of digits without a leading zero, at most `maxDigits`
    /// long, and not followed by a fraction or an exponent.
    public mutating func unsignedInteger(maxDigits: Int = 18) -> Int? {
        precondition(maxDigits <= 18, "19 digits can overflow Int")
        skipWhitespace()
        let start = index
        var value = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            value = value &* 10 &+ Int(digit)
            index += 1
        }
        let count = index - start
        guard count > 0, count <= maxDigits, count == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) { return nil }
        return value
    }

    /// `true` or `false`.
    public mutating func bool() -> Bool? {
        skipWhitespace()
        if word("true") { return true }
        if word("false") { return false }
        return nil
    }

    /// Whether the bytes in `range` spell `text`.
    public func bytes(in range: Range<Int>, equal text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount else { return false }
        return text.withUTF8Buffer { expected in
            var position = range.lowerBound
            for byte in expected {
                guard bytes[position] == byte else { return false }
                position += 1
            }
            return true
        }
    }

    public func string(in range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    private mutating func word(_ text: StaticString) -> Bool {
        let end = index + text.utf8CodeUnitCount
        guard end <= bytes.count, self.bytes(in: index..<end, equal: text) else { return false }
        index = end
        return true
    }
}
