import Foundation
import ServiceCore
import Testing
@testable import ServiceDaemon

/// The CPS and imagePROGRAF events: a repair past its target, raised by the
/// daemon on the centre's calendar (stepped clock, at once, at start-up),
/// and a claim decided and paid, each seen by its own dealer only.
@Suite(.serialized) struct ProgrammeEventTests {
    typealias World = CPSRepairAPITests.World

    /// The feed's `cps_repair.target_missed` events as (resource id, dealer id), waiting up to 10 s for `count`.
    static func missed(_ server: APITestServer, key: String, count: Int) throws -> [(String, String?)] {
        var events: [(String, String?)] = []
        let deadline = Date().addingTimeInterval(10)
        repeat {
            events = try EventOutboxAPITests.feed(server, key: key, "types=cps_repair.target_missed").items.map {
                (($0["resource"] as! [String: Any])["id"] as! String, $0["dealer_id"] as? String)
            }
            if events.count >= count { break }
            Thread.sleep(forTimeInterval: 0.1)
        } while Date() < deadline
        return events
    }

    /// Received now at the Oslo partner, Gold: its target lies ahead, so the daemon's own watcher stays quiet.
    /// The test's clock starts a minute before the centre's target day ends and follows the watcher's wake-ups;
    /// the miss must come no later than a minute after Oslo's midnight. A second repair completed in time raises nothing.
    @Test func raisedWithinAMinuteOfTheCentresTargetDayEndingAndOnlyOnce() throws {
        let world = try World()
        let member = try world.member("tgt@example.com", products: CPSRepairAPITests.goldKit)
        let received = RFC3339.format(Date().addingTimeInterval(-60))
        let late = try world.repair(world.keyA, number: member.number, product: "reg_tgt0", centre: world.partner, received: received)
        let onTime = try world.repair(world.keyA, number: member.number, product: "reg_tgt1", centre: world.partner, received: received)
        #expect(late.status == 201 && onTime.status == 201, "\(late.json) \(onTime.json)")
        let onTimeID = try #require(onTime["id"] as? String)
        #expect(try world.server.call("POST", "/v1/cps/repairs/\(onTimeID)/events", key: world.keyA, body: #"{"type": "completed"}"#).status == 200)
        // The target day ends at midnight in Oslo: Foundation's own zone rules, not the daemon's calendar.
        let target = try #require((late["target_completion_on"] as? String).flatMap(LocalDate.init))
        var oslo = Calendar(identifier: .gregorian)
        oslo.timeZone = TimeZone(identifier: "Europe/Oslo")!
        let dayAfter = target.adding(days: 1)
        let miss = try #require(oslo.date(from: DateComponents(year: dayAfter.year, month: dayAfter.month, day: dayAfter.day)))
        #expect(miss > Date())
        let watcher = ResponseBreachTests.watcher(world.server)
        let clock = try ResponseBreachTests.firstRaise(watcher, from: miss.addingTimeInterval(-60))
        #expect(clock > miss && clock.timeIntervalSince(miss) <= 60)
        let id = try #require(late["id"] as? String)
        #expect(try Self.missed(world.server, key: world.keyA, count: 1).map(\.0) == [id])
        let shown = try world.server.call("GET", "/v1/cps/repairs/\(id)", key: world.keyA)
        #expect(shown["target_missed_at"] as? String == RFC3339.format(clock))
        #expect(try world.server.call("GET", "/v1/cps/repairs/\(onTimeID)", key: world.keyA)["target_missed_at"] is NSNull)
        #expect(try watcher.check(now: clock.addingTimeInterval(86_400)).raised == 0)  // once
        #expect(try Self.missed(world.server, key: world.keyB, count: 0).isEmpty)
    }

    /// Targets long past when the repair is logged are raised at once by the daemon's own watcher. A
    /// repair at Canon's own centre has no dealer: admins hear of it, no dealer key does. The partner's
    /// repair goes to that partner's dealer only.
    @Test func pastTargetsAreRaisedAtOnceEachToItsOwnAudience() throws {
        let world = try World()
        let platinum = try world.member("pla@example.com", products: CPSRepairAPITests.platinumKit)
        let gold = try world.member("gol@example.com", products: CPSRepairAPITests.goldKit)
        // Johannesburg PSC, target Wednesday 2026-03-11; Oslo partner over Easter, target Wednesday 2026-04-08.
        let psc = try world.repair(world.server.adminKey, number: platinum.number, product: "PLA1000", centre: "psc-za-johannesburg",
                                   received: "2026-03-06T16:00:00Z")
        let partner = try world.repair(world.keyA, number: gold.number, product: "reg_gol0", centre: world.partner, received: "2026-03-31T08:00:00Z")
        let pscID = try #require(psc["id"] as? String), partnerID = try #require(partner["id"] as? String)
        let all = try Self.missed(world.server, key: world.server.adminKey, count: 2)
        #expect(Set(all.map(\.0)) == [pscID, partnerID])
        #expect(all.first { $0.0 == pscID }?.1 == nil)
        #expect(all.first { $0.0 == partnerID }?.1 != nil)
        #expect(try Self.missed(world.server, key: world.keyA, count: 1).map(\.0) == [partnerID])
        #expect(try Self.missed(world.server, key: world.keyB, count: 0).isEmpty)
        #expect(try world.server.call("GET", "/v1/cps/repairs/\(partnerID)", key: world.keyA)["target_missed_at"] is String)
    }

    /// A target that passed while the daemon was down is raised at start-up.
    @Test func targetsPassedWhileDownAreRaisedAtStartUp() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("down.db")
        var id: String?
        var configuration: DatabaseConfiguration?
        do {
            let world = try World(try APITestServer { $0.databasePath = db })
            configuration = world.server.application.configuration.database
            let member = try world.member("dwn@example.com", products: CPSRepairAPITests.goldKit)
            id = try world.repair(world.keyA, number: member.number, product: "reg_dwn0", centre: world.partner,
                                  received: RFC3339.format(Date().addingTimeInterval(-60)))["id"] as? String
            #expect(try Self.missed(world.server, key: world.server.adminKey, count: 0).isEmpty)
        }
        try DatabasePool(configuration: try #require(configuration)).write { connection in
            try connection.execute("UPDATE cps_repairs SET target_on = '2026-01-05' WHERE id = ?", [id])
        }
        let restarted = try APITestServer { $0.databasePath = db }
        #expect(try Self.missed(restarted, key: restarted.adminKey, count: 1).map(\.0) == [id])
    }

    /// The programme decides a claim on submission: `ipf_claim.decided`; an admin recording its payment:
    /// `ipf_claim.paid`. Both carry the claim, and only its dealer hears of them.
    @Test func aClaimDecidedAndPaidReachesItsDealerOnly() throws {
        let world = try IPFTestWorld()
        let paid = try world.server.call("POST", "/v1/ipf/claims/\(world.claimA)/payment", key: world.server.adminKey,
                                         body: #"{"reference": "PAY-2026-0042"}"#)
        #expect(paid.status == 200, "\(paid.json)")
        let events = try EventOutboxAPITests.all(world.server, key: world.a.key, "types=ipf_claim.decided,ipf_claim.paid")
        #expect(events.map(\.0) == ["ipf_claim.decided", "ipf_claim.paid"])
        #expect(events.allSatisfy { $0.1 == world.claimA })
        #expect(events.map { $0.2["state"] as? String } == ["approved", "paid"])
        #expect(try EventOutboxAPITests.all(world.server, key: world.b.key, "types=ipf_claim.decided,ipf_claim.paid").isEmpty)
    }
}
