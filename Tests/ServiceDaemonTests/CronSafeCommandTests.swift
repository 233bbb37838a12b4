import Foundation
import ServiceCore
import Testing
@testable import ServiceDaemon

/// The command line as cron runs it: another working directory, no
/// terminal, the database and catalogue found or refused by name.
@Suite struct CronSafeCommandTests {
    static let commandsOnExisting: [[String]] = [
        ["bill", "--year", "2025"], ["bill", "--year", "2025", "--dry-run"], ["keys", "create", "--role", "admin"],
        ["keys", "list"], ["keys", "revoke", "key_x"],
    ]

    @Test(arguments: commandsOnExisting)
    func aMissingDatabaseIsRefusedByItsAbsolutePathAndNotCreated(_ command: [String]) throws {
        let directory = try TemporaryDirectory()
        let result = try DaemonProcess.run(command + ["--db", "data/service.db"], directory: directory.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no database at \(directory.url.standardizedFileURL.path)/data/service.db"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: directory.path("data")))
    }

    @Test(arguments: [["serve", "--port", "0"], ["migrate"], ["bill", "--year", "2025"], ["keys", "list"]])
    func aDirectoryOrAnotherFileIsAConfigurationError(_ command: [String]) throws {
        let directory = try TemporaryDirectory()
        let folder = directory.path("folder.db")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = directory.path("notes.db")
        try "not a database at all, but long enough to hold a header".write(toFile: text, atomically: true, encoding: .utf8)
        for (path, verdict) in [(folder, "is a directory, not a database file"), (text, "is not a service-daemon database: not an SQLite file")] {
            let result = try DaemonProcess.run(command + ["--db", path])
            #expect(result.status == 78, "\(result.stderr)")
            let lines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("{") }  // serve's JSON log aside
            #expect(lines.count == 1)
            #expect(lines.first?.hasPrefix("service-daemon: ") == true)
            #expect(lines.first?.hasSuffix("database \(path) \(verdict)") == true, "\(result.stderr)")
        }
    }

    @Test func anSQLiteFileWithoutTheSchemaIsNotTakenOver() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("other.db")
        do {
            let connection = try Connection(path: path)
            try connection.execute("CREATE TABLE other_application (id INTEGER)")
        }
        let result = try DaemonProcess.run(["keys", "list", "--db", path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("database \(path) is not a service-daemon database"))
        let connection = try Connection(path: path)
        #expect(try connection.fetchScalar("SELECT count(*) FROM sqlite_schema", as: Int.self) == 1)
    }

    /// Root writes whatever the permissions say, so as root the command runs
    /// as nobody (setpriv, util-linux), from a copy of the binary in `folder`
    /// (the checkout may lie where nobody cannot reach, under /root say).
    static func runUnprivileged(_ arguments: [String], folder: String) throws -> (status: Int32?, stdout: String, stderr: String) {
        guard getuid() == 0 else { return try DaemonProcess.run(arguments) }
        let binary = folder + "/service-daemon"
        if !FileManager.default.fileExists(atPath: binary) { try FileManager.default.copyItem(atPath: DaemonProcess.binary.path, toPath: binary) }
        return try DaemonProcess.run(["--reuid=65534", "--regid=65534", "--clear-groups", binary] + arguments,
                                     executable: URL(fileURLWithPath: "/usr/bin/setpriv"))
    }

    @Test func anUnwritableDatabaseOrFolderIsAConfigurationError() throws {
        let directory = try TemporaryDirectory()
        let open = directory.path("open")
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path)
        let db = open + "/service.db"
        #expect(try DaemonProcess.run(["migrate", "--db", db]).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
        let file = try Self.runUnprivileged(["keys", "list", "--db", db], folder: directory.url.path)
        #expect(file.status == 78, "\(file.stderr)")
        #expect(file.stderr == "service-daemon: database \(db) cannot be written: Permission denied\n")

        let locked = directory.path("locked")
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o555])
        let folder = try Self.runUnprivileged(["migrate", "--db", locked + "/service.db"], folder: directory.url.path)
        #expect(folder.status == 78, "\(folder.stderr)")
        #expect(folder.stderr.hasPrefix("service-daemon: database \(locked)/service.db cannot be written: its folder \(locked) is not writable"))
    }

    @Test func serveLogsTheAbsoluteDatabaseAndCataloguePaths() throws {
        let directory = try TemporaryDirectory()
        let daemon = try DaemonProcess(["serve", "--port", "0", "--db", "state/s.db"], directory: directory.url, catalogue: nil)
        try daemon.waitUntilListening()
        daemon.terminate()
        #expect(daemon.wait() == 0)
        let starting = try #require(daemon.logLines.first { $0["msg"] as? String == "starting" })
        #expect(starting["database"] as? String == directory.url.standardizedFileURL.path + "/state/s.db")
        let root = URL(fileURLWithPath: DaemonProcess.catalogue).standardizedFileURL.path
        #expect(starting["catalogue"] as? String == root)
    }

    /// The catalogue of the source tree a built binary lives in, from `/`,
    /// with no --catalogue or SERVICE_DAEMON_CATALOGUE.
    @Test func theShippedCatalogueIsFoundFromAnyDirectory() throws {
        let f = try BillingRunTests.fixture()
        let db = f.server.application.configuration.databasePath
        let result = try DaemonProcess.run(["bill", "--year", "2025", "--dry-run", "--db", db], directory: URL(fileURLWithPath: "/"), catalogue: nil)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("dry run for 2025: 3 lines, total 3195.00 NOK"))
        let relative = try DaemonProcess.run(["bill", "--year", "2025", "--dry-run", "--db", db, "--catalogue", "Resources/packages.json"],
                                             directory: URL(fileURLWithPath: "/"), catalogue: nil)
        #expect(relative.status == 1)
        #expect(relative.stderr.contains("catalogue /Resources/packages.json: cannot be read"), "\(relative.stderr)")
    }

    @Test(arguments: [["--output", "-"], ["--format", "csv"], ["--output", "-", "--format", "json"]])
    func linesToStandardOutputAndTheSummaryToStandardError(_ options: [String]) throws {
        let f = try BillingRunTests.fixture()
        let db = f.server.application.configuration.databasePath
        let directory = try TemporaryDirectory()
        let result = try DaemonProcess.run(["bill", "--year", "2025", "--dry-run", "--db", db] + options, directory: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "dry run for 2025: 3 lines, total 3195.00 NOK\n")
        let lines = result.stdout.split(whereSeparator: \.isNewline)
        if options.contains("csv") {
            #expect(lines.count == 4)  // header and three lines
            #expect(lines.first == "kind,device_serial,customer_id,dealer_id,channel,adjustment,quantity,unit,unit_price_minor,price_unit,amount_minor,currency,explanation")
        } else {
            #expect(lines.count == 3)
            #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) is [String: Any] })
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)  // no file named "-"
    }

    @Test func progressOnlyOnATerminal() throws {
        let f = try BillingRunTests.fixture()
        let db = f.server.application.configuration.databasePath
        let command = ["bill", "--year", "2025", "--dry-run", "--db", db, "--progress-after-ms", "0"]
        let piped = try DaemonProcess.run(command)
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains("devices"))
        #expect(piped.stdout == "dry run for 2025: 3 lines, total 3195.00 NOK\n")

        // script(1) gives the command a pseudo-terminal for stdin, stdout and stderr.
        let shell = ([DaemonProcess.binary.path] + command).map { "'\($0)'" }.joined(separator: " ")
        let terminal = try DaemonProcess.run(["-qefc", shell, "/dev/null"], executable: URL(fileURLWithPath: "/usr/bin/script"))
        #expect(terminal.status == 0, "\(terminal.stderr)")
        #expect(terminal.stdout.contains("billing 2025: 2 / 2 devices"), "\(terminal.stdout)")
        #expect(terminal.stdout.contains("dry run for 2025: 3 lines"))
    }

    @Test func theProgressLineWaitsASecondAndRedrawsInPlace() {
        final class Clock: @unchecked Sendable { var now = Duration.zero }
        let clock = Clock()
        var written: [String] = []
        let line = ProgressLine("billing 2025", after: .seconds(1), clock: { clock.now }) { written.append($0) }
        line.update(.init(devicesDone: 100, devicesTotal: 1_000))
        clock.now = .milliseconds(999)
        line.update(.init(devicesDone: 400, devicesTotal: 1_000))
        #expect(written.isEmpty)
        clock.now = .seconds(2)
        line.update(.init(devicesDone: 500, devicesTotal: 1_000))  // 500 devices in 2 s: 250/s
        clock.now = .milliseconds(2_100)
        line.update(.init(devicesDone: 510, devicesTotal: 1_000))  // within the quarter second: not redrawn
        line.update(.init(devicesDone: 1_000, devicesTotal: 1_000))  // the last one is always drawn
        line.finish()
        #expect(written == [
            "\rbilling 2025: 500 / 1000 devices, 250 devices/s\u{1B}[K",
            "\rbilling 2025: 1000 / 1000 devices, 476 devices/s\u{1B}[K",
            "\n",
        ])
    }
}
