import Foundation
import Testing
@testable import ServiceCore

@Suite struct WebhookRulesTests {
    /// Base 5 000 ms, doubling: 5 000, 10 000, 20 000, 40 000 ms; ±20 % jitter
    /// at its extremes gives 4 000 and 6 000 ms for the first.
    @Test func retryDelaysDoubleFromTheBaseWithinTheirJitter() {
        let schedule = WebhookRetrySchedule(baseMilliseconds: 5_000)
        #expect((1...4).map { schedule.delay(afterFailures: $0, jitter: 0) } == [5_000, 10_000, 20_000, 40_000])
        #expect(schedule.delay(afterFailures: 1, jitter: -1) == 4_000)
        #expect(schedule.delay(afterFailures: 1, jitter: 1) == 6_000)
        // The shortest second delay (8 000) is longer than the longest first (6 000).
        #expect(schedule.delay(afterFailures: 2, jitter: -1) > schedule.delay(afterFailures: 1, jitter: 1))
    }

    /// Failures at t = 0 ... : retries until 24 h after the first failure,
    /// the last one no later than that; a failure at or after it gives up.
    @Test func retriesStopTwentyFourHoursAfterTheFirstFailure() {
        let schedule = WebhookRetrySchedule(baseMilliseconds: 5_000)
        let day = 86_400_000
        #expect(schedule.next(failures: 1, firstFailure: 0, now: 0, jitter: 0) == .retry(atMilliseconds: 5_000))
        // 14th failure at 23 h: nominal delay 5 000 x 2^13 = 40 960 000 ms (11.4 h), cut to the end of the day.
        #expect(schedule.next(failures: 14, firstFailure: 0, now: 82_800_000, jitter: 0) == .retry(atMilliseconds: day))
        #expect(schedule.next(failures: 15, firstFailure: 0, now: day, jitter: 0) == .giveUp)
        // Counting the attempts of a receiver that never answers: 5 s, 10 s, ... until the day is over.
        var now = 0
        var failures = 0
        while case .retry(let at) = schedule.next(failures: failures + 1, firstFailure: 0, now: now, jitter: 0) {
            failures += 1
            now = at
        }
        // Delays 5 000 x (2^0 ... 2^13) sum to 81 915 000 ms (22.75 h); the 15th is cut to 86 400 000; the 16th failure gives up.
        #expect(failures == 15)
        #expect(now == day)
    }

    /// The Standard Webhooks example: secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw,
    /// id msg_p5jXN8AQM9LWM0D4loKWxJek, timestamp 1614265330, body {"test": 2432232314}
    /// signs to v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=.
    @Test func signatureMatchesTheSpecificationsExample() {
        let signature = WebhookSignature.sign(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8),
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        )
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(WebhookSignature.sign(id: "a", timestamp: 1, body: [], secret: "not-a-secret") == nil)
    }

    @Test func secretsAreWhsecAndThirtyTwoRandomBytes() throws {
        let first = try WebhookSignature.makeSecret()
        let second = try WebhookSignature.makeSecret()
        #expect(first.hasPrefix("whsec_"))
        #expect(WebhookSignature.key(first)?.count == 32)
        #expect(first != second)
    }
}
