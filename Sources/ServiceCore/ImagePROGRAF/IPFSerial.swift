/// imagePROGRAF and Colortrac serial numbers as ASCR keys them: trimmed,
/// ASCII letters upper-cased (a label's "aa012345" and "AA012345" are one
/// device), letters, digits, '-', '_' and '.' only, at most 64 characters.
public enum IPFSerial {
    public static let rule = "may contain only letters, digits, '-', '_' and '.' (at most 64); letters are upper-cased"

    public static func normalised(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.utf8.count <= 64, trimmed.utf8.allSatisfy(isAllowed) else { return nil }
        return String(decoding: trimmed.utf8.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
    }

    static func isAllowed(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }
}

extension ObjectReader {
    /// A serial under `IPFSerial`'s rule, normalised; nil with an issue otherwise.
    public func ipfSerial(_ key: String) -> String? {
        guard let text = string(key, maxLength: 200) else { return nil }
        guard let serial = IPFSerial.normalised(text) else {
            issues.add(field(key), IPFSerial.rule)
            return nil
        }
        return serial
    }
}
