/// An integer's decimal digits written as bytes, without making a String of
/// them: JSON numbers, and a response's status code and Content-Length.
public enum DecimalDigits {
    /// The most bytes one takes: Int.min's sign and 19 digits.
    public static let maxCount = 20

    /// Writes `value` in decimal at `out` (room for `maxCount` bytes);
    /// returns how many bytes it wrote.
    @inlinable public static func write(_ value: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var length = 0
        if value < 0 {
            out[0] = UInt8(ascii: "-")
            length = 1
        }
        var magnitude = value.magnitude
        let first = length
        repeat {
            out[length] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
            magnitude /= 10
            length &+= 1
        } while magnitude > 0
        var low = first, high = length &- 1
        while low < high {
            (out[low], out[high]) = (out[high], out[low])
            low &+= 1
            high &-= 1
        }
        return length
    }

    /// Appends `value` in decimal to `out`.
    @inlinable public static func append(_ value: Int, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxCount) { digits in
            let length = write(value, into: digits.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[..<length]))
        }
    }
}
