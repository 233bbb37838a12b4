import Foundation
import ServiceCore
import ServiceJSON

/// Feeds fuzzer input to the meter-reading batch scanner and to the general
/// path (JSON parser, then validation) and checks they agree: neither may
/// crash, and whatever the scanner accepts, the general path must accept with
/// the same readings. See scripts/fuzz.sh.
enum MeterBatchFuzz {
    /// Fixed, so that a reproducer replays the same way.
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static func run(_ bytes: [UInt8]) {
        let scanned = MeterReadingBatchScanner.scan(bytes, now: now)
        var general: [MeterReading]?
        if let value = try? JSONParser.parse(bytes) {
            let issues = ValidationIssues()
            if let root = ObjectReader(value, issues: issues) {
                let readings = MeterReadingInput.decode(root, now: now)
                if issues.list.isEmpty { general = readings.readings.map(\.reading) }
            }
        }
        guard let scanned else { return }
        guard scanned == general else {
            fatalError("the scanner accepted what the general path reads otherwise: \(scanned) / \(String(describing: general))")
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    MeterBatchFuzz.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
import FuzzSupport

@main
struct ReplayMain {
    static func main() throws { try FuzzReplay.files(MeterBatchFuzz.run) }
}
#endif
