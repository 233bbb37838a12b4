import ServiceJSON
import Testing

/// The one decimal writer JSON numbers and response heads share.
@Suite struct DecimalDigitsTests {
    @Test(arguments: [0, 7, 10, 99, 100, 204, 599, 1_000, 65_535, 8_388_608, Int.max, -1, -42, Int.min])
    func digitsAreThoseOfTheNumber(value: Int) {
        var bytes = Array("n=".utf8)
        DecimalDigits.append(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "n=\(value)")
        let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: DecimalDigits.maxCount) { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[..<DecimalDigits.write(value, into: buffer.baseAddress!)]), as: UTF8.self)
        }
        #expect(written == "\(value)")
    }
}
