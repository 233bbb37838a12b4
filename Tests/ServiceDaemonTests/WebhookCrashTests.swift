import Foundation
import HTTPTestSupport
import Testing
@testable import ServiceDaemon

/// At least once across `kill -9`: the daemon dies after the change and
/// its event committed, while the delivery is in flight (the receiver holds
/// it unanswered); the restarted daemon delivers the event.
@Suite struct WebhookCrashTests {
    @Test func anEventCommittedButNotAcknowledgedIsDeliveredAfterARestart() throws {
        let receiver = try WebhookReceiver()
        receiver.hold(true)
        let directory = try TemporaryDirectory()
        let db = directory.path("crash.db")
        let environment = ["SERVICE_DAEMON_WEBHOOK_ALLOW_INSECURE": "true", "SERVICE_DAEMON_WEBHOOK_RETRY_BASE_MS": "100"]
        var daemon = try DaemonProcess(["serve", "--port", "0", "--db", db], environment: environment)
        try daemon.waitUntilListening()
        let admin = try #require(DaemonProcess.run(["keys", "create", "--role", "admin", "--db", db]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines))
        func call(_ method: String, _ path: String, _ body: String) throws -> [String: Any] {
            let response = try daemon.client().request(method, path, headers: ["Authorization: Bearer \(admin)", "Content-Type: application/json"], body: body)
            return (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        }
        _ = try call("POST", "/v1/webhook-endpoints", #"{"url": "\#(receiver.url)", "event_types": ["contract.created"]}"#)
        let dealer = try call("POST", "/v1/dealers", #"{"name": "Crash AS"}"#)["id"] as! String
        let customer = try call("POST", "/v1/customers", #"{"name": "Kunde", "dealer_id": "\#(dealer)"}"#)["id"] as! String
        _ = try call("POST", "/v1/devices", #"{"serial": "KILL-1", "model": "imageRUNNER ADVANCE C3530i", "customer_id": "\#(customer)"}"#)
        let contract = try call("POST", "/v1/contracts", APITestServer.contractBody(customer: customer, serials: ["KILL-1"]))["id"] as? String
        #expect(contract != nil)

        let first = try #require(receiver.wait(for: 1).first)
        kill(daemon.process.processIdentifier, SIGKILL)
        daemon.wait()
        receiver.hold(false)

        daemon = try DaemonProcess(["serve", "--port", "0", "--db", db], environment: environment)
        try daemon.waitUntilListening()
        let again = receiver.wait(for: 2)
        #expect(again.count == 2)
        #expect(again.last?.headers["webhook-id"] == first.headers["webhook-id"])
        #expect((again.last?.json["data"] as? [String: Any])?["id"] as? String == contract)
        daemon.terminate()
        #expect(daemon.wait() == 0)
    }
}
