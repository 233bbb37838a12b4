/// A device's serial number, in the one form it is stored and compared in:
/// `bad0001`, ` BAD0001 ` and `BAD0001` are the same device. Every input
/// path (JSON bodies, path and query parameters, the batch scanner, DMS
/// events, the command line) goes through `normalised`, and migration 9
/// brought stored serials to the same form.
///
/// The alphabet is what a device label carries: ASCII letters (upper case
/// once normalised), digits, '-', '_' and '.', all of which Code 128 (the
/// barcode on service labels) encodes and a technician can read back
/// without ambiguity; no spaces, no other punctuation, nothing outside
/// ASCII (whose upper case is not even one character long for 'ß').
public enum DeviceSerial {
    public static let maxLength = 64

    public static let alphabet = "letters A-Z (case is ignored), digits 0-9, '-', '_' and '.'"

    /// Trimmed of whitespace, ASCII letters in upper case; anything else is
    /// left for `problem` to refuse.
    public static func normalised(_ text: some StringProtocol) -> String {
        // A batch of readings normalises a serial per reading: the walk by
        // Character below was a tenth of a batch's CPU. ASCII text, all a
        // label carries, is trimmed and upper-cased byte by byte instead.
        if let ascii = text.utf8.withContiguousStorageIfAvailable(asciiNormalised), let ascii { return ascii }
        let trimmed = text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()
        return String(decoding: String(trimmed).utf8.map(upperCased), as: UTF8.self)
    }

    /// `normalised` for text all in ASCII, whose whitespace (tab to carriage
    /// return, space) is what `Character.isWhitespace` finds there; nil for
    /// anything else, left to the Character walk.
    private static func asciiNormalised(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        var start = 0, end = bytes.count
        while start < end && isSpace(bytes[start]) { start += 1 }
        while end > start && isSpace(bytes[end - 1]) { end -= 1 }
        return String(unsafeUninitializedCapacity: end - start) { out in
            for index in start..<end { out[index - start] = upperCased(bytes[index]) }
            return end - start
        }
    }

    private static func upperCased(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }

    /// Why a normalised serial cannot be one; nil when it can.
    public static func problem(_ serial: String) -> String? {
        if serial.isEmpty { return "must not be empty" }
        if serial.utf8.count > maxLength { return "must be at most \(maxLength) characters" }
        guard serial.utf8.allSatisfy(isLabelByte) else { return "may contain only \(alphabet)" }
        return nil
    }

    /// The normalised serial, or nil when it cannot be one.
    public static func parse(_ text: some StringProtocol) -> String? {
        let serial = normalised(text)
        return problem(serial) == nil ? serial : nil
    }

    static func isLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."): return true
        default: return false
        }
    }
}

extension ObjectReader {
    /// A device serial member, normalised; refused (with the field named)
    /// when it cannot be one.
    public func deviceSerial(_ key: String, required: Bool = true) -> String? {
        guard let text = string(key, required: required, maxLength: DeviceSerial.maxLength) else { return nil }
        let serial = DeviceSerial.normalised(text)
        if let problem = DeviceSerial.problem(serial) {
            issues.add(field(key), problem)
            return nil
        }
        return serial
    }

    /// An array of device serials, each normalised and checked.
    public func deviceSerials(_ key: String, required: Bool = true, maxCount: Int) -> [String]? {
        guard let texts = stringArray(key, required: required, maxCount: maxCount, maxLength: DeviceSerial.maxLength) else { return nil }
        var serials: [String] = []
        for (index, text) in texts.enumerated() {
            let serial = DeviceSerial.normalised(text)
            if let problem = DeviceSerial.problem(serial) { issues.add("\(field(key))[\(index)]", problem) } else { serials.append(serial) }
        }
        return serials.count == texts.count ? serials : nil
    }
}
