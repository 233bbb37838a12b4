import Foundation
import Testing
@testable import ServiceDaemon
import ServiceCore

/// Parts orders and technical-support cases over HTTP.
@Suite(.serialized) struct IPFOrderAndSupportAPITests {
    @Test func anOrderMovesThroughItsStatesAndRefusesWhatDoesNotFit() throws {
        let world = try IPFTestWorld()
        let order = try world.server.call("POST", "/v1/ipf/orders", key: world.a.key, body: """
            {"channel": "cna", "lines": [{"part_number": "QM7-1234", "quantity": 2}], "claim_id": "\(world.claimA)"}
            """)
        #expect(order.status == 201, "\(order.json)")
        #expect(order["state"] as? String == "submitted")
        let id = order["id"] as! String
        for (type, state) in [("confirm", "confirmed"), ("ship", "shipped")] {
            let moved = try world.server.call("POST", "/v1/ipf/orders/\(id)/events", key: world.a.key, body: #"{"type": "\#(type)"}"#)
            #expect(moved["state"] as? String == state)
        }
        let cancel = try world.server.call("POST", "/v1/ipf/orders/\(id)/events", key: world.a.key, body: #"{"type": "cancel"}"#)
        #expect(cancel.status == 409)
        #expect(cancel["state"] as? String == "shipped")
        let delivered = try world.server.call("POST", "/v1/ipf/orders/\(id)/events", key: world.a.key, body: #"{"type": "deliver", "note": "signed"}"#)
        #expect(delivered["state"] as? String == "delivered")
        #expect((delivered["events"] as? [[String: Any]])?.map { $0["type"] as? String } == ["confirm", "ship", "deliver"])
        #expect(try world.server.call("GET", "/v1/ipf/orders?state=delivered", key: world.a.key).items.count == 1)
    }

    @Test func badOrdersListEveryFieldAndStoreNothing() throws {
        let world = try IPFTestWorld()
        let before = try world.auditCount()
        let bad = try world.server.call("POST", "/v1/ipf/orders", key: world.a.key, body: """
            {"channel": "fax", "lines": [{"part_number": "P", "quantity": -1}, {"quantity": 2}]}
            """)
        #expect(Set(bad.errors.keys) == ["channel", "lines[0].quantity", "lines[1].part_number"], "\(bad.errors)")
        let empty = try world.server.call("POST", "/v1/ipf/orders", key: world.a.key, body: #"{"channel": "npoc", "lines": []}"#)
        #expect(empty.errors["lines"] == "must have at least one line")
        let claim = try world.server.call("POST", "/v1/ipf/orders", key: world.b.key, body: """
            {"channel": "npoc", "lines": [{"part_number": "P", "quantity": 1}], "claim_id": "\(world.claimA)"}
            """)
        #expect(claim.errors["claim_id"]?.contains("unknown claim") == true, "\(claim.json)")
        #expect(try world.auditCount() == before)
    }

    @Test func escalationIsRefusedUntilTheMinimumStepsAreRecorded() throws {
        let world = try IPFTestWorld()
        let opened = try world.server.call("POST", "/v1/ipf/support-cases", key: world.a.key,
                                           body: #"{"serial": "ipfa0001", "channel": "phone", "problem": "Banding in cyan"}"#)
        #expect(opened.status == 201, "\(opened.json)")
        let id = opened["id"] as! String
        for recorded in 0..<3 {
            let early = try world.server.call("POST", "/v1/ipf/support-cases/\(id)/escalate", key: world.a.key)
            #expect(early.status == 422)
            #expect(early.errors == ["troubleshooting_steps": "\(recorded) recorded, 3 required before escalation: record \(3 - recorded) more"])
            let step = try world.server.call("POST", "/v1/ipf/support-cases/\(id)/steps", key: world.a.key, body: #"{"note": "step \#(recorded)"}"#)
            #expect(step["troubleshooting_steps"] as? Int == recorded + 1)
        }
        let escalated = try world.server.call("POST", "/v1/ipf/support-cases/\(id)/escalate", key: world.a.key)
        #expect(escalated.status == 200, "\(escalated.json)")
        #expect(escalated["state"] as? String == "escalated")
        let at = RFC3339.parse(escalated["escalated_at"] as! String)!
        let due = RFC3339.parse(escalated["response_due_at"] as! String)!
        #expect(due.timeIntervalSince(at) >= 4 * 3_600)
        #expect(try world.server.call("POST", "/v1/ipf/support-cases/\(id)/escalate", key: world.a.key).status == 409)
        #expect(try world.server.call("POST", "/v1/ipf/support-cases/\(id)/resolve", key: world.a.key)["state"] as? String == "resolved")
        // A serial not registered to the dealer, a bad channel and an empty problem, all at once.
        let bad = try world.server.call("POST", "/v1/ipf/support-cases", key: world.b.key, body: #"{"serial": "X#1", "channel": "fax", "problem": ""}"#)
        #expect(Set(bad.errors.keys) == ["serial", "channel", "problem"])
        let foreign = try world.server.call("POST", "/v1/ipf/support-cases", key: world.b.key,
                                            body: #"{"serial": "IPFA0001", "channel": "web", "problem": "p"}"#)
        #expect(foreign.errors["serial"]?.contains("not registered to dealer") == true)
    }
}
