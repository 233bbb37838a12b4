import Foundation
import HTTPTestSupport
import ServiceCore
import Testing

/// The real binary over loopback: start-up, health, logging, migrations,
/// configuration errors, signals.
@Suite struct DaemonEndToEndTests {
    @Test func servesHealthAndReadinessAndLogsEachRequest() throws {
        let directory = try TemporaryDirectory()
        let daemon = try DaemonProcess(["serve", "--port", "0", "--db", directory.path("service.db")])
        try daemon.waitUntilListening()
        let client = try daemon.client()

        let health = try client.request("GET", "/healthz", headers: ["X-Request-Id: e2e-1"])
        #expect(health.status == 200)
        #expect(health.json?["status"] as? String == "ok")
        #expect(health.header("X-Request-Id") == "e2e-1")

        let ready = try client.request("GET", "/readyz")
        #expect(ready.status == 200)
        #expect(ready.json?["status"] as? String == "ready")
        #expect(ready.json?["schema_version"] as? Int == Schema.migrations.count)

        let missing = try client.request("GET", "/nope")
        #expect(missing.status == 404)
        #expect(missing.header("Content-Type") == "application/problem+json")

        daemon.terminate()
        #expect(daemon.wait() == 0)
        let requests = daemon.logLines.filter { $0["msg"] as? String == "request" }
        #expect(requests.count == 3)
        let first = try #require(requests.first)
        #expect(first["request_id"] as? String == "e2e-1")
        #expect(first["path"] as? String == "/healthz")
        #expect(first["status"] as? Int == 200)
        #expect(first["ts"] is String)
        #expect(daemon.logLines.contains { $0["msg"] as? String == "stopped" })
    }

    @Test func defaultDatabaseIsCreatedUnderData() throws {
        let directory = try TemporaryDirectory()
        let daemon = try DaemonProcess(["serve", "--port", "0"], directory: directory.url)
        try daemon.waitUntilListening()
        #expect(FileManager.default.fileExists(atPath: directory.path("data/service.db")))
        daemon.process.interrupt()  // SIGINT, as from a terminal
        #expect(daemon.wait() == 0)
    }

    @Test func environmentConfiguresWhenNoFlag() throws {
        let directory = try TemporaryDirectory()
        let daemon = try DaemonProcess(["serve"], environment: [
            "SERVICE_DAEMON_PORT": "0",
            "SERVICE_DAEMON_DB": directory.path("env.db"),
        ])
        try daemon.waitUntilListening()
        #expect(FileManager.default.fileExists(atPath: directory.path("env.db")))
        daemon.terminate()
        #expect(daemon.wait() == 0)
    }

    @Test func migrateAppliesThenIsANoOp() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("service.db")
        let first = try DaemonProcess.run(["migrate", "--db", db])
        #expect(first.status == 0)
        #expect(first.stdout.contains("schema version \(Schema.migrations.count) (\(Schema.migrations.count) migration(s) applied)"))
        let second = try DaemonProcess.run(["migrate", "--db", db])
        #expect(second.status == 0)
        #expect(second.stdout.contains("(0 migration(s) applied)"))
    }

    @Test func newerDatabaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("service.db")
        do {
            let connection = try Connection(path: db)
            try connection.execute("PRAGMA user_version = 999")
        }
        for command in [["migrate", "--db", db], ["serve", "--port", "0", "--db", db]] {
            let result = try DaemonProcess.run(command)
            #expect(result.status == 1)
            #expect(result.stderr.contains("999"), "\(result.stderr)")
            #expect(result.stderr.contains("\(Schema.migrations.count)"))
        }
    }

    @Test func configurationErrorsExitWithEXCONFIG() throws {
        let result = try DaemonProcess.run(["serve", "--port", "http"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("--port: must be an integer"))
        let env = try DaemonProcess.run(["serve"], environment: ["SERVICE_DAEMON_IDLE_TIMEOUT_MS": "soon"])
        #expect(env.status == 78)
        #expect(env.stderr.contains("SERVICE_DAEMON_IDLE_TIMEOUT_MS"))
    }

    @Test(arguments: [[], ["serve"], ["migrate"], ["keys"], ["keys", "create"], ["keys", "list"], ["keys", "revoke"], ["bill"], ["backup"]])
    func helpOnEveryCommand(_ command: [String]) throws {
        let result = try DaemonProcess.run(command + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE"))
    }
}
