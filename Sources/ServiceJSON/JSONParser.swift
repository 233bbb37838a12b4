/// A strict RFC 8259 parser for request bodies and the catalogue. Stricter
/// than Foundation's where ambiguity would hurt: duplicate object keys are
/// rejected (two parsers could each honour a different one), nesting is
/// bounded, integers and fractions stay distinct, and a lone surrogate or
/// a trailing byte after the value is an error.
///
/// Request bodies are parsed under `Limits`: nesting depth, the number of
/// values and the length of any one string, so the value tree a request
/// builds stays proportional to what its route needs, whatever the body.
public enum JSONParser {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            /// Not JSON, or nested deeper than allowed: the body is malformed.
            case malformed
            /// Well-formed so far, but more values or a longer string than
            /// the limits allow: the body is too large for its purpose.
            case tooLarge
        }

        public let offset: Int
        public let reason: String
        public let kind: Kind
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }

        init(offset: Int, reason: String, kind: Kind = .malformed) {
            self.offset = offset
            self.reason = reason
            self.kind = kind
        }
    }

    /// Bounds on one document.
    public struct Limits: Sendable, Equatable {
        /// Arrays and objects nested deeper than this are malformed.
        public var maxDepth: Int
        /// Values in the whole document (every array element, member value
        /// and the root count one).
        public var maxValues: Int
        /// Bytes of any one string (member names too), after unescaping.
        public var maxStringBytes: Int

        public init(maxDepth: Int, maxValues: Int, maxStringBytes: Int) {
            self.maxDepth = maxDepth
            self.maxValues = maxValues
            self.maxStringBytes = maxStringBytes
        }

        /// Files the operator provides (the catalogue) and what this program
        /// stored itself: only the depth is bounded, against stack exhaustion.
        public static let trusted = Limits(maxDepth: 64, maxValues: .max, maxStringBytes: .max)

        /// A request body of a resource write: a few dozen members, arrays of
        /// at most hundreds (a contract's 500 serials), texts of at most 4 000
        /// characters (16 000 bytes of UTF-8).
        public static let request = Limits(maxDepth: 16, maxValues: 10_000, maxStringBytes: 16 * 1024)
    }

    public static let maxDepth = Limits.trusted.maxDepth

    public static func parse(_ bytes: [UInt8], limits: Limits = .trusted) throws(Failure) -> JSONValue {
        var parser = Cursor(bytes: bytes, limits: limits)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.fail("unexpected data after the value") }
        return value
    }

    public static func parse(_ text: String, limits: Limits = .trusted) throws(Failure) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }

    private struct Cursor {
        let bytes: [UInt8]
        let limits: Limits
        var index = 0
        var values = 0

        init(bytes: [UInt8], limits: Limits) {
            self.bytes = bytes
            self.limits = limits
        }

        func fail(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

        func tooLarge(_ reason: String) -> Failure { Failure(offset: index, reason: reason, kind: .tooLarge) }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(Failure) -> JSONValue {
            guard depth < limits.maxDepth else { throw fail("nested more than \(limits.maxDepth) levels") }
            guard index < bytes.count else { throw fail("unexpected end of input") }
            values += 1
            guard values <= limits.maxValues else { throw tooLarge("more than \(limits.maxValues) values") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return try number()
            }
        }

        mutating func literal(_ word: String) throws(Failure) {
            for byte in word.utf8 {
                guard index < bytes.count, bytes[index] == byte else { throw fail("invalid literal") }
                index += 1
            }
        }

        /// Members and items of the objects and arrays still open, innermost
        /// last. Each container is built here and copied out once, at its
        /// close, into an array of exactly its size: no growth steps, and no
        /// spare capacity a hostile body of many small objects could multiply.
        var openMembers: [(String, JSONValue)] = []
        var openItems: [JSONValue] = []

        mutating func object(depth: Int) throws(Failure) -> JSONValue {
            index += 1
            let first = openMembers.count
            defer { openMembers.removeSubrange(first...) }
            // Objects are small; a hash set only pays off for large ones.
            var seen = Set<String>()
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object([])
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                let key = try string()
                let count = openMembers.count - first
                let duplicate = count < 16 ? openMembers[first...].contains { $0.0 == key } : !seen.insert(key).inserted
                // From the 16th key on, the set holds every key so far, this one included.
                if count == 15 { seen = Set(openMembers[first...].map(\.0) + [key]) }
                guard !duplicate else { throw fail("duplicate member \"\(key)\"") }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                index += 1
                skipWhitespace()
                let member = try value(depth: depth + 1)
                openMembers.append((key, member))
                skipWhitespace()
                guard index < bytes.count else { throw fail("unterminated object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                guard bytes[index] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                index += 1
                return .object(Array(openMembers[first...]))
            }
        }

        mutating func array(depth: Int) throws(Failure) -> JSONValue {
            index += 1
            let first = openItems.count
            defer { openItems.removeSubrange(first...) }
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array([])
            }
            while true {
                skipWhitespace()
                let item = try value(depth: depth + 1)
                openItems.append(item)
                skipWhitespace()
                guard index < bytes.count else { throw fail("unterminated array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                guard bytes[index] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
                index += 1
                return .array(Array(openItems[first...]))
            }
        }

        mutating func string() throws(Failure) -> String {
            index += 1
            let start = index
            var ascii = true
            // Fast path: no escapes, so the string is the bytes between the quotes.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    guard index - start <= limits.maxStringBytes else { throw stringTooLong(at: start) }
                    let text: String
                    if ascii {
                        // Plain ASCII needs no UTF-8 validation.
                        text = String(decoding: bytes[start..<index], as: UTF8.self)
                    } else {
                        guard let valid = String(validating: bytes[start..<index], as: UTF8.self) else { throw fail("invalid UTF-8 in string") }
                        text = valid
                    }
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw fail("control character in string") }
                if byte >= 0x80 { ascii = false }
                index += 1
            }
            guard index < bytes.count else { throw fail("unterminated string") }
            return try escapedString(from: start)
        }

        func stringTooLong(at start: Int) -> Failure {
            Failure(offset: start - 1, reason: "a string longer than \(limits.maxStringBytes) bytes", kind: .tooLarge)
        }

        /// The slow path, from the string's first byte, once an escape was seen.
        mutating func escapedString(from start: Int) throws(Failure) -> String {
            index = start
            var out: [UInt8] = []
            while index < bytes.count {
                guard out.count <= limits.maxStringBytes else { throw stringTooLong(at: start) }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    guard out.count <= limits.maxStringBytes else { throw stringTooLong(at: start) }
                    guard let text = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in string") }
                    index += 1
                    return text
                }
                if byte < 0x20 { throw fail("control character in string") }
                guard byte == UInt8(ascii: "\\") else {
                    out.append(byte)
                    index += 1
                    continue
                }
                index += 1
                guard index < bytes.count else { throw fail("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): out.append(contentsOf: String(try unicodeEscape()).utf8)
                default: throw fail("invalid escape")
                }
            }
            throw fail("unterminated string")
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
            var value: UInt32 = 0
            for byte in bytes[index..<(index + 4)] {
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw fail("invalid \\u escape")
                }
                value = value * 16 + digit
            }
            index += 4
            return value
        }

        mutating func unicodeEscape() throws(Failure) -> Unicode.Scalar {
            let first = try hex4()
            if (0xD800...0xDBFF).contains(first) {
                guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw fail("lone surrogate")
                }
                index += 2
                let second = try hex4()
                guard (0xDC00...0xDFFF).contains(second) else { throw fail("lone surrogate") }
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(first), !(0xDC00...0xDFFF).contains(first) else { throw fail("lone surrogate") }
            return scalar
        }

        mutating func number() throws(Failure) -> JSONValue {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else {
                throw fail("unexpected character")
            }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            }
            var isInteger = true
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                isInteger = false
                index += 1
                let digits = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                guard index > digits else { throw fail("digits expected after '.'") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                isInteger = false
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                let digits = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                guard index > digits else { throw fail("digits expected in exponent") }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            // An integer beyond 64 bits is still a JSON number: it becomes a
            // double, so a field's own range check names it (422) instead of
            // the whole body being called malformed.
            if isInteger, let value = Int(text) {
                return .int(value)
            }
            guard let value = Double(text), value.isFinite else { throw Failure(offset: start, reason: "number out of range") }
            return .double(value)
        }
    }
}
