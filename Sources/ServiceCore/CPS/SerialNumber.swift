/// Product serial numbers as CPS stores and compares them: spaces and
/// hyphens removed (people copy them from stickers in groups), letters
/// upper-cased, then 4 to 32 of A-Z and 0-9. "1234 5678" and "1234-5678" are
/// the same serial, so the one-holder rule cannot be dodged by formatting.
public enum SerialNumber {
    public static func normalised(_ text: String) -> String? {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ", "-": continue
            case "a"..."z": out.unicodeScalars.append(Unicode.Scalar(scalar.value - 32)!)
            case "A"..."Z", "0"..."9": out.unicodeScalars.append(scalar)
            default: return nil
            }
        }
        return (4...32).contains(out.utf8.count) ? out : nil
    }
}
