import Foundation
import ServiceHTTP
import Testing
@testable import ServiceDaemon

@Suite struct LogFormatTests {
    @Test func timestampIsRFC3339UTCWithMilliseconds() throws {
        let stamp = JSONLogHandler.timestamp()
        #expect(stamp.count == 24)
        #expect(stamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let parsed = try #require(formatter.date(from: stamp))
        #expect(abs(parsed.timeIntervalSinceNow) < 60)
    }
}
