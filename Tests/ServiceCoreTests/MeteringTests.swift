import Testing
@testable import ServiceCore

@Suite struct MeteringTests {
    /// Readings at day offsets from 2026-01-01T00:00Z, colour_a4 and bw_a4 given.
    static let day: Int64 = 86_400_000
    static let base = Int64(LocalDate("2026-01-01")!.dayNumber) * 86_400_000

    static func reading(_ day: Double, bw: Int, colour: Int, a3: Int = 0, reset: Bool = false) -> MeterReading {
        MeterReading(
            deviceSerial: "D", readAt: base + Int64(day * Double(Self.day)),
            counters: MeterCounters(bwA4: bw, bwA3: 0, colourA4: colour, colourA3: a3, bannerBW: 0, bannerColour: 0),
            source: .dms, counterReset: reset
        )
    }

    @Test func lateReadingIsCheckedAgainstBothNeighbours() {
        let stored = [Self.reading(0, bw: 100, colour: 50), Self.reading(10, bw: 200, colour: 80)]
        let fits = MeterValidation.check(new: [(0, Self.reading(5, bw: 150, colour: 60))], stored: stored)
        #expect(fits == .init(accepted: [0], problems: []))
        let belowEarlier = MeterValidation.check(new: [(0, Self.reading(5, bw: 90, colour: 60))], stored: stored)
        #expect(belowEarlier.accepted.isEmpty)
        guard case .decreasing(0, "bw_a4", let message)? = belowEarlier.problems.first else { Issue.record("no problem"); return }
        #expect(message.hasPrefix("bw_a4 90 is below 100 of the reading at 2026-01-01T00:00:00Z"))
        let aboveLater = MeterValidation.check(new: [(3, Self.reading(5, bw: 150, colour: 81))], stored: stored)
        guard case .decreasing(3, "colour_a4", let later)? = aboveLater.problems.first else { Issue.record("no problem"); return }
        #expect(later.hasPrefix("colour_a4 81 exceeds 80 of the later reading at 2026-01-11T00:00:00Z"))
    }

    @Test func outOfOrderReadingsInOneBatchAreSortedFirst() {
        let new = [(0, Self.reading(3, bw: 300, colour: 30)), (1, Self.reading(1, bw: 100, colour: 10)), (2, Self.reading(2, bw: 200, colour: 20))]
        #expect(MeterValidation.check(new: new, stored: []) == .init(accepted: [0, 1, 2], problems: []))
        let decreasing = [(0, Self.reading(1, bw: 100, colour: 10)), (1, Self.reading(2, bw: 99, colour: 20))]
        #expect(MeterValidation.check(new: decreasing, stored: []).accepted == [0])
    }

    @Test func resetStartsANewBaseline() {
        let stored = [Self.reading(0, bw: 90_000, colour: 40_000)]
        let swap = MeterValidation.check(new: [(0, Self.reading(1, bw: 12, colour: 3, reset: true)), (1, Self.reading(2, bw: 50, colour: 9))], stored: stored)
        #expect(swap == .init(accepted: [0, 1], problems: []))
        let noReset = MeterValidation.check(new: [(0, Self.reading(1, bw: 12, colour: 3))], stored: stored)
        #expect(noReset.accepted.isEmpty)
    }

    @Test func duplicatesAndConflicts() {
        let stored = [Self.reading(0, bw: 100, colour: 50)]
        let resend = MeterValidation.check(new: [(0, Self.reading(0, bw: 100, colour: 50))], stored: stored)
        #expect(resend == .init(accepted: [], problems: []))
        let other = MeterValidation.check(new: [(0, Self.reading(0, bw: 101, colour: 50))], stored: stored)
        #expect(other.problems == [.conflict(index: 0, message: "a stored reading at the same instant has other figures")])
        let twice = MeterValidation.check(new: [(0, Self.reading(1, bw: 110, colour: 55)), (1, Self.reading(1, bw: 110, colour: 55))], stored: stored)
        #expect(twice == .init(accepted: [0], problems: []))
    }

    /// Readings on 1 Jan (bw 1000, colour 400), 11 Jan (bw 1300, colour 500)
    /// and 1 Feb (bw 2000, colour 900). January = [1 Jan, 1 Feb): exactly
    /// 1000 bw and 500 colour. [6 Jan, 21 Jan): at 6 Jan, halfway from the
    /// first to the second reading: bw 1000 + 300 x 5/10 = 1150, colour
    /// 400 + 100 x 5/10 = 450; at 21 Jan, 10 of the 21 days from the second
    /// to the third: bw 1300 + floor(700 x 10/21) = 1300 + 333 = 1633, colour
    /// 500 + floor(400 x 10/21) = 500 + 190 = 690. Usage: bw 483, colour 240.
    @Test func boundaryInterpolationByHand() {
        let readings = [Self.reading(0, bw: 1000, colour: 400), Self.reading(10, bw: 1300, colour: 500), Self.reading(31, bw: 2000, colour: 900)]
        let january = Usage.over(from: Self.base, to: Self.base + 31 * Self.day, readings: readings)
        #expect(january == Usage(counters: MeterCounters(bwA4: 1000, bwA3: 0, colourA4: 500, colourA3: 0, bannerBW: 0, bannerColour: 0), estimated: false))
        let middle = Usage.over(from: Self.base + 5 * Self.day, to: Self.base + 20 * Self.day, readings: readings)
        #expect(middle.counters.bwA4 == 483)
        #expect(middle.counters.colourA4 == 240)
        #expect(!middle.estimated)
        // Adjacent intervals add up exactly.
        let head = Usage.over(from: Self.base, to: Self.base + 20 * Self.day, readings: readings)
        let tail = Usage.over(from: Self.base + 20 * Self.day, to: Self.base + 31 * Self.day, readings: readings)
        #expect(head.counters + tail.counters == january.counters)
    }

    @Test func openEndsAreEstimated() {
        let readings = [Self.reading(0, bw: 1000, colour: 400), Self.reading(10, bw: 1300, colour: 500)]
        let beyond = Usage.over(from: Self.base, to: Self.base + 31 * Self.day, readings: readings)
        #expect(beyond.estimated)
        #expect(beyond.counters.bwA4 == 300)  // what was read, no extrapolation
        let before = Usage.over(from: Self.base - 5 * Self.day, to: Self.base + 10 * Self.day, readings: readings)
        #expect(before.estimated)
        #expect(Usage.over(from: Self.base, to: Self.base + Self.day, readings: []).estimated)
    }

    /// Old meter read at bw 90 000 on day 0; the new one starts at 0 on day
    /// 10 and reads 400 on day 20: usage over days 0-20 is 400 (the old
    /// meter's last stretch is unknown), marked estimated.
    @Test func resetInsideTheInterval() {
        let readings = [Self.reading(0, bw: 90_000, colour: 0), Self.reading(10, bw: 0, colour: 0, reset: true), Self.reading(20, bw: 400, colour: 100)]
        let usage = Usage.over(from: Self.base, to: Self.base + 20 * Self.day, readings: readings)
        #expect(usage.counters.bwA4 == 400)
        #expect(usage.counters.colourA4 == 100)
        #expect(usage.estimated)
    }

    @Test func pageFiguresCountA3AndBannersTwice() {
        let counters = MeterCounters(bwA4: 100, bwA3: 10, colourA4: 50, colourA3: 5, bannerBW: 2, bannerColour: 3)
        #expect(counters.bwPages == 112)
        #expect(counters.colourPages == 58)
        #expect(counters.colourA4Equivalents == 50 + 10 + 6)
        #expect(counters.a4Equivalents == (100 + 20 + 4) + 66)
        #expect(counters.bannerClicks == 5)
    }

    @Test func interpolationDoesNotOverflow() {
        let readings = [Self.reading(0, bw: 0, colour: 0), Self.reading(365, bw: 2_000_000_000, colour: 0)]
        let half = Usage.over(from: Self.base, to: Self.base + Int64(182.5 * Double(Self.day)), readings: readings)
        #expect(half.counters.bwA4 == 1_000_000_000)
    }
}
