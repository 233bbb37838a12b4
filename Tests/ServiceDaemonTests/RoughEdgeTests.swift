import Foundation
import HTTPTestSupport
import Testing

/// What a new user hit first (issue 12): each answer now says what it means.
@Suite struct RoughEdgeTests {
    @Test func aWellFormedBearerHeaderWithAStrangeTokenIsAnUnknownKey() throws {
        let server = try APITestServer()
        for token in ["nope", "sdk_nope", "Bearer"] {
            let reply = try server.call("GET", "/v1/catalogue", key: token)
            #expect(reply.status == 401)
            #expect(reply["detail"] as? String == "unknown or revoked API key", "\(token)")
            #expect(reply.header("WWW-Authenticate") == "Bearer")
        }
        for header in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer "] {
            let reply = try server.call("GET", "/v1/catalogue", key: nil, headers: ["Authorization: \(header)"])
            #expect(reply.status == 401)
            #expect(reply["detail"] as? String == "the Authorization header must be: Bearer <key>", "\(header)")
        }
    }

    @Test func deadlineWithoutFromSaysItIsRequired() throws {
        let server = try APITestServer()
        let missing = try server.admin("GET", "/v1/calendar/deadline?tier=plus")
        #expect(missing.status == 422)
        #expect(missing.errors["from"]?.hasPrefix("is required") == true)
        let bad = try server.admin("GET", "/v1/calendar/deadline?tier=plus&from=monday")
        #expect(bad.errors["from"]?.hasPrefix("must be an RFC 3339 instant") == true)
    }

    /// A billing run stores lines unless told otherwise: the caller must say which it wants.
    @Test func aBillingRunWithoutDryRunIsRefusedAndStartsNothing() throws {
        let server = try APITestServer()
        let missing = try server.admin("POST", "/v1/billing-runs", #"{"year": 2025}"#)
        #expect(missing.status == 422)
        #expect(missing.errors["dry_run"]?.hasPrefix("is required") == true)
        let runs = try server.admin("GET", "/v1/billing-runs?year=2025")
        #expect(runs.status == 200)
        #expect(runs.items.isEmpty)
    }

    /// The README's own example sets log_level notice; the port must still be reported.
    @Test func listeningIsLoggedAtNotice() throws {
        let directory = try TemporaryDirectory()
        let daemon = try DaemonProcess(["serve", "--port", "0", "--db", directory.path("n.db"), "--log-level", "notice"])
        try daemon.waitUntilListening()
        let line = try #require(daemon.logLines.first { $0["msg"] as? String == "listening" })
        #expect(line["level"] as? String == "notice")
        #expect(daemon.port > 0)
        daemon.terminate()
        #expect(daemon.wait() == 0)
    }

    @Test func keysListPrintsAHeaderRow() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("k.db")
        #expect(try DaemonProcess.run(["migrate", "--db", db]).status == 0)
        #expect(try DaemonProcess.run(["keys", "create", "--role", "billing", "--db", db]).status == 0)
        let lines = try DaemonProcess.run(["keys", "list", "--db", db]).stdout.split(separator: "\n")
        #expect(lines.first == "id\trole\tdealer\tcreated\trevoked")
        #expect(lines.count == 2)
        #expect(lines.last?.split(separator: "\t").dropFirst().first == "billing")
    }
}
