import Foundation
import Testing
@testable import ServiceCore

/// When a repair misses its target: once the centre's target day is over
/// with the product still in servicing, the day counted in the centre's own
/// zone, summer time included.
@Suite struct CPSRepairTargetTests {
    static func repair(target: String, state: CPSRepair.State) -> CPSRepair {
        CPSRepair(id: "rep_1", memberID: "mem_1", registrationID: "reg_1", productID: "eos-r1", centreID: "psc-za", dealerID: nil,
                  service: .repair, chargeable: false, receivedAt: RFC3339.parse("2026-03-06T16:00:00Z")!, level: .platinum, points: 1_540,
                  decision: .init(workingDays: 2, fastTrack: true, reasons: []), startOn: LocalDate("2026-03-09")!,
                  targetOn: LocalDate(target)!, benefits: .init(maintenanceDiscountPercent: 0, freeReturnShipping: false, reason: ""),
                  state: state)
    }

    @Test(arguments: [
        // in servicing: missed from the day after the target, not on it
        (CPSRepair.State.received, "2026-03-11", false), (.received, "2026-03-12", true), (.diagnosed, "2026-03-12", true),
        (.waitingForParts, "2026-04-30", true),
        // completed (on time or not, the watcher no longer looks), returned and cancelled repairs miss nothing now
        (.completed, "2026-03-12", false), (.returned, "2026-03-12", false), (.cancelled, "2026-03-12", false),
    ])
    func missedOnlyWhileInServicingAfterTheTargetDay(_ state: CPSRepair.State, _ centreDay: String, _ missed: Bool) {
        #expect(Self.repair(target: "2026-03-11", state: state).missesTarget(onCentreDay: LocalDate(centreDay)!) == missed)
    }

    @Test(arguments: [
        // Oslo: winter time (UTC+1) until Sunday 29 March 2026 02:00, summer time (UTC+2) after
        ("Europe/Oslo", "2026-03-28", "2026-03-27T23:00:00Z"), ("Europe/Oslo", "2026-03-29", "2026-03-28T23:00:00Z"),
        ("Europe/Oslo", "2026-03-30", "2026-03-29T22:00:00Z"), ("Europe/Oslo", "2026-10-26", "2026-10-25T23:00:00Z"),
        // Johannesburg: UTC+2 all year; Istanbul: UTC+3
        ("Africa/Johannesburg", "2026-03-12", "2026-03-11T22:00:00Z"), ("Europe/Istanbul", "2026-12-02", "2026-12-01T21:00:00Z"),
    ])
    func aCentreDayStartsAtItsLocalMidnight(_ zone: String, _ day: String, _ start: String) {
        let days = WorkingDays(country: "XX", timeZone: TimeZone(identifier: zone)!, closedDates: [], closingMinutes: 17 * 60)
        #expect(days.start(of: LocalDate(day)!) == RFC3339.parse(start))
        // the instant before belongs to the previous day
        #expect(days.localDay(of: RFC3339.parse(start)!.addingTimeInterval(-1)) == LocalDate(day)!.adding(days: -1))
    }
}
