import Foundation
import Testing
import ServiceCore
import ServiceHTTP
import HTTPTestSupport
@testable import ServiceDaemon

/// The access log as an operator reads it: who called (key id and role,
/// never the key), and for a streamed export its real size.
@Suite struct AccessLogAPITests {
    @Test func entriesNameTheCallersKeyAndRole() throws {
        let recorder = RecordingAccessLog()
        let server = try APITestServer(accessLog: recorder)
        let dealer = try server.dealer("Nordic Print", serial: "LOG-1")
        let keys = try server.application.database.read { try APIKeyStore.list($0) }
        let dealerKeyID = try #require(keys.first { $0.dealerID == dealer.id }?.id)

        #expect(try server.call("GET", "/v1/dealers/\(dealer.id)", key: dealer.key).status == 200)
        #expect(try server.call("GET", "/v1/dealers/\(dealer.id)", key: "sdk_unknown").status == 401)
        #expect(try server.call("GET", "/healthz", key: nil).status == 200)
        // Refused by the handler, not by authentication: the caller is still named.
        #expect(try server.call("GET", "/v1/dealers/dlr_missing", key: dealer.key).status == 404)

        let entries = recorder.entries.filter { $0.method == .GET }
        #expect(entries.count == 4)
        #expect(entries[3].status == 404 && entries[3].keyID == dealerKeyID && entries[3].role == "dealer", "\(entries[3])")
        #expect(entries[0].keyID == dealerKeyID)
        #expect(entries[0].role == "dealer")
        #expect(entries[1].status == 401)
        #expect(entries[1].keyID == nil && entries[1].role == nil)
        #expect(entries[2].keyID == nil)
    }

    @Test func aStreamedExportLogsTheBytesTheClientGot() throws {
        let recorder = RecordingAccessLog()
        let server = try APITestServer(accessLog: recorder)
        let client = try RawClient(port: server.application.port!)
        let reply = try client.request("POST", "/v1/billing-runs", headers: [
            "Authorization: Bearer \(server.adminKey)", "Content-Type: application/json", "Accept: text/csv",
        ], body: #"{"year": 2025, "dry_run": true}"#)
        #expect(reply.status == 200)
        #expect(reply.header("Transfer-Encoding") == "chunked")
        let entry = try #require(recorder.entries.last { $0.method == .POST })
        #expect(entry.status == 200)
        #expect(entry.bytesOut == reply.body.count)
        #expect(entry.bytesOut > 0)
        #expect(entry.role == "admin")
    }
}
