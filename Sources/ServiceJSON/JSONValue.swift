/// A small JSON value for the documents this layer writes itself (problems,
/// health, log lines), where Foundation's encoder is both slower and unable
/// to keep member order.
///
/// Not `indirect`: arrays and objects already hold their elements on the
/// heap, and an indirect enum boxes every case, so each number of a parsed
/// array would cost an allocation of its own.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// JSON text written as it is: a value encoded once and written again
    /// (a billing explanation both stored and printed). Must come from
    /// encoding a value; the parser never produces it.
    case raw([UInt8])

    public func encoded() -> String { String(decoding: bytes, as: UTF8.self) }

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out)
        return out
    }

    /// Appends the value as compact JSON. Bytes, not a String: a billing run
    /// writes a hundred thousand explanations, and String appends cost a
    /// uniqueness and capacity check each.
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): DecimalDigits.append(i, to: &out)
        case .double(let d): out.append(contentsOf: (d.isFinite ? String(d) : "null").utf8)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .raw(let bytes): out.append(contentsOf: bytes)
        }
    }

    /// For writers that build a String (log lines).
    public static func writeString(_ s: String, to out: inout String) {
        var text = s
        if !text.withUTF8(needsEscaping) {
            out += "\""
            out += s
            out += "\""
            return
        }
        var bytes: [UInt8] = []
        writeString(s, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// Quotes and escapes: runs without special bytes are copied whole.
    public static func writeString(_ s: String, to out: inout [UInt8]) {
        var text = s
        text.withUTF8 { writeString(utf8: $0, to: &out) }
    }

    /// The same from UTF-8 bytes.
    public static func writeString(utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most text (serials, ids, names) needs no escaping: found out
        // eight bytes at a time and copied in one go.
        if needsEscaping(utf8) { writeEscaped(utf8, to: &out) } else { out.append(contentsOf: utf8) }
        out.append(UInt8(ascii: "\""))
    }

    private static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var start = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard mustEscape(byte) else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
            start = index + 1
            out.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
            case UInt8(ascii: "\n"): out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): out.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): out.append(UInt8(ascii: "t"))
            default:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
    }

    /// A control character (below 0x20), a quote or a backslash.
    static func mustEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Whether `utf8` holds a byte JSON must escape (`mustEscape`): a control character
    /// (below 0x20), a quote or a backslash. Whole words are tested with the
    /// bit tricks for "has a zero byte" and "has a byte less than n" (exact
    /// as yes-or-no answers), the last word overlapping the one before it;
    /// text shorter than a word byte by byte.
    @usableFromInline static func needsEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard utf8.count >= 8, let base = utf8.baseAddress else {
            return utf8.contains(where: mustEscape)
        }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }
        func special(_ word: UInt64) -> Bool {
            (word &- ones &* 0x20) & ~word & highs != 0 || hasZero(word ^ (ones &* 0x22)) || hasZero(word ^ (ones &* 0x5C))
        }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 < utf8.count {
            if special(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) { return true }
            offset += 8
        }
        return special(raw.loadUnaligned(fromByteOffset: utf8.count - 8, as: UInt64.self))
    }
}

extension JSONValue {
    /// The member of an object, nil for absent members and non-objects.
    public subscript(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        case .raw: return "encoded JSON"
        }
    }
}
