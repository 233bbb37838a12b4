/// Percent-decoding (RFC 3986 §2.1) of one path segment or query component.
/// Returns nil for malformed escapes, invalid UTF-8 or NUL, which the router
/// answers with 400: a decoded NUL or broken UTF-8 has no business reaching
/// a handler or a SQL parameter.
enum PercentDecoding {
    static func decode<S: StringProtocol>(_ text: S, plusAsSpace: Bool = false) -> String? {
        let utf8 = text.utf8
        guard utf8.contains(UInt8(ascii: "%")) || (plusAsSpace && utf8.contains(UInt8(ascii: "+"))) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(ByteClass.hexValue),
                      let low = iterator.next().flatMap(ByteClass.hexValue) else { return nil }
                bytes.append(UInt8(high * 16 + low))
            case UInt8(ascii: "+") where plusAsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        guard !bytes.contains(0), let decoded = String(validating: bytes, as: UTF8.self) else { return nil }
        return decoded
    }
}
