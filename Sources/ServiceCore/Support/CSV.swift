/// CSV as RFC 4180 writes it: a field is quoted when it holds a separator,
/// a quote or a line break, with quotes doubled.
public enum CSV {
    /// Byte by byte: the special characters are ASCII, which never occurs
    /// inside a multi-byte UTF-8 sequence, and "\r\n" is two bytes here but
    /// one Character to Swift (a Character test would miss it).
    public static func field(_ text: String) -> String {
        func special(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
        guard text.utf8.contains(where: special) else { return text }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            out.append(byte)
            if byte == UInt8(ascii: "\"") { out.append(byte) }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}
