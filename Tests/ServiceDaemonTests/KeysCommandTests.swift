import Foundation
import HTTPTestSupport
import Testing

@Suite struct KeysCommandTests {
    @Test func createPrintsTheKeyAloneAndItWorks() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("keys.db")
        #expect(try DaemonProcess.run(["migrate", "--db", db]).status == 0)
        let created = try DaemonProcess.run(["keys", "create", "--role", "admin", "--db", db])
        #expect(created.status == 0)
        let key = created.stdout.trimmingCharacters(in: .newlines)
        #expect(key.hasPrefix("sdk_"))
        #expect(!key.contains(" ") && !key.contains("\n"))
        #expect(key.count == 47)  // prefix + 43 base64url characters for 32 bytes

        let daemon = try DaemonProcess(["serve", "--port", "0", "--db", db])
        try daemon.waitUntilListening()
        let ok = try daemon.client().request("GET", "/v1/catalogue", headers: ["Authorization: Bearer \(key)"])
        #expect(ok.status == 200)
        #expect(ok.json?["currency"] as? String == "NOK")

        let listed = try DaemonProcess.run(["keys", "list", "--db", db])
        #expect(listed.status == 0)
        let id = try #require(listed.stdout.split(separator: "\n").dropFirst().first?.split(separator: "\t").first.map(String.init))
        #expect(id.hasPrefix("key_"))
        #expect(!listed.stdout.contains(key))
        #expect(listed.stdout.contains("admin"))

        let revoked = try DaemonProcess.run(["keys", "revoke", id, "--db", db])
        #expect(revoked.status == 0)
        // Revoked by another process: the daemon refuses it once what it remembered of the key (a second) is stale.
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try daemon.client().request("GET", "/v1/catalogue", headers: ["Authorization: Bearer \(key)"]).status == 401)
        #expect(try DaemonProcess.run(["keys", "revoke", id, "--db", db]).status == 1)
        daemon.terminate()
        #expect(daemon.wait() == 0)
    }

    @Test func invalidCombinationsAreRefused() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("keys.db")
        #expect(try DaemonProcess.run(["migrate", "--db", db]).status == 0)
        #expect(try DaemonProcess.run(["keys", "create", "--role", "root", "--db", db]).status == 64)
        #expect(try DaemonProcess.run(["keys", "create", "--role", "dealer", "--db", db]).status == 64)
        #expect(try DaemonProcess.run(["keys", "create", "--role", "admin", "--dealer", "dlr_x", "--db", db]).status == 64)
        let missing = try DaemonProcess.run(["keys", "create", "--role", "dealer", "--dealer", "dlr_missing", "--db", db])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no dealer dlr_missing"))
    }

    @Test func brokenCatalogueStopsStartUpNamingThePath() throws {
        let directory = try TemporaryDirectory()
        var text = try String(contentsOfFile: DaemonProcess.catalogue, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"colour_cap_per_month\": 1000", with: "\"colour_cap_per_month\": -1000")
        let path = directory.path("packages.json")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try DaemonProcess.run(["serve", "--port", "0", "--db", directory.path("s.db"), "--catalogue", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("model_families[0].colour_cap_per_month: must not be negative"), "\(result.stderr)")
    }
}
