import Foundation
import HTTPTestSupport
import ServiceCore
import Testing
@testable import ServiceDaemon

/// `backup` against a daemon that serves and writes meanwhile.
@Suite struct BackupCommandTests {
    /// Creates dealers one after another, as fast as the daemon acknowledges
    /// them, and keeps the ids it got a 201 for.
    final class WriteLoad: @unchecked Sendable {
        private let lock = NSLock()
        private var ids: [String] = []
        private var failures = 0
        private var stopped = false
        private let done = DispatchSemaphore(value: 0)

        private struct Handed: @unchecked Sendable { let server: APITestServer }

        init(_ server: APITestServer) {
            let handed = Handed(server: server)  // used by the load thread alone
            Thread {
                let server = handed.server
                var n = 0
                while !self.lock.withLock({ self.stopped }) {
                    n += 1
                    let reply = try? server.admin("POST", "/v1/dealers", #"{"name": "Load \#(n)"}"#)
                    self.lock.withLock {
                        if reply?.status == 201, let id = reply?["id"] as? String { self.ids.append(id) } else { self.failures += 1 }
                    }
                }
                self.done.signal()
            }.start()
        }

        var acknowledged: [String] { lock.withLock { ids } }
        var failed: Int { lock.withLock { failures } }

        func waitFor(_ count: Int) {
            let deadline = Date().addingTimeInterval(30)
            while acknowledged.count < count && Date() < deadline { usleep(5_000) }
        }

        func stop() {
            lock.withLock { stopped = true }
            done.wait()
        }
    }

    @Test func aBackupUnderWriteLoadHoldsEveryAcknowledgedWriteAndRestores() throws {
        let server = try APITestServer()
        let db = server.application.configuration.databasePath
        let directory = try TemporaryDirectory()
        let copy = directory.path("backup.db")
        let load = WriteLoad(server)
        load.waitFor(100)
        let before = load.acknowledged  // every write acknowledged before the backup began
        let result = try DaemonProcess.run(["backup", "--db", db, "--to", copy])
        let during = load.acknowledged.count - before.count
        load.waitFor(load.acknowledged.count + 20)  // and writes go on after it
        load.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("backed up \(db) to \(copy): schema version \(Schema.migrations.count), "))
        #expect(result.stdout.contains("integrity_check ok"))
        #expect(load.failed == 0)
        #expect(during > 0, "the daemon acknowledged no write while the backup ran")

        // A single file: no -wal beside it, rollback journal.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["backup.db"])
        let connection = try Connection(path: copy, readOnly: true)
        #expect(try connection.fetchAll("PRAGMA integrity_check").map { try $0.get(0, as: String.self) } == ["ok"])
        #expect(try connection.fetchScalar("PRAGMA journal_mode", as: String.self) == "delete")
        let stored = Set(try connection.fetchAll("SELECT id FROM dealers").map { try $0.get(0, as: String.self) })
        #expect(Set(before).subtracting(stored).isEmpty, "acknowledged before the backup, missing from it")
        #expect(stored.isSubset(of: Set(load.acknowledged)))

        // Restore as the README says: copy the file to the database path, start the daemon.
        let restored = directory.path("restored/service.db")
        try FileManager.default.createDirectory(atPath: directory.path("restored"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: copy, toPath: restored)
        let daemon = try DaemonProcess(["serve", "--port", "0", "--db", restored])
        try daemon.waitUntilListening()
        let last = try #require(before.last)
        let dealer = try daemon.client().request("GET", "/v1/dealers/\(last)", headers: ["Authorization: Bearer \(server.adminKey)"])
        #expect(dealer.status == 200)
        daemon.terminate()
        #expect(daemon.wait() == 0)
    }

    @Test func anEarlierBackupIsReplacedAndTheDatabaseNeverOverwritten() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("service.db")
        #expect(try DaemonProcess.run(["migrate", "--db", db]).status == 0)
        let copy = directory.path("backup.db")
        try "an older backup".write(toFile: copy, atomically: true, encoding: .utf8)
        #expect(try DaemonProcess.run(["backup", "--db", db, "--to", copy]).status == 0)
        #expect(try Connection(path: copy, readOnly: true).userVersion() == Schema.migrations.count)

        let itself = try DaemonProcess.run(["backup", "--db", db, "--to", directory.path("./service.db")])
        #expect(itself.status == 1)
        #expect(itself.stderr == "service-daemon: backup failed: --to \(db) is the database itself\n")
        let folder = try DaemonProcess.run(["backup", "--db", db, "--to", directory.url.path])
        #expect(folder.status == 1)
        #expect(folder.stderr.contains("is not a regular file"))
        let nowhere = try DaemonProcess.run(["backup", "--db", db, "--to", directory.path("no/such/backup.db")])
        #expect(nowhere.status == 1)
        #expect(nowhere.stderr.contains("no folder \(directory.path("no/such"))"))
        let missing = try DaemonProcess.run(["backup", "--db", directory.path("missing.db"), "--to", copy])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no database at \(directory.path("missing.db"))"))
    }
}
