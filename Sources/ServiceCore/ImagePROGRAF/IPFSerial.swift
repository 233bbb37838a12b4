/// imagePROGRAF and Colortrac serial numbers as ASCR keys them: the one
/// serial rule of the daemon (`SerialNumber`, shared with CPS): spaces and
/// hyphens dropped, letters upper-cased, 4 to 32 of A-Z and 0-9. A label's
/// "aa-0123 45" and "AA012345" are one device, so one registration.
public enum IPFSerial {
    public static let rule = "must be 4 to 32 letters and digits (spaces and hyphens are ignored, letters upper-cased)"

    public static func normalised(_ text: String) -> String? { SerialNumber.normalised(text) }
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
