import Foundation
import ServiceCore
import Testing
@testable import ServiceDaemon

/// scripts/install.sh into a temporary prefix, and the installed binary, unit
/// and cron job used as an operator and cron would, from `/`.
@Suite struct InstallTests {
    static let repository = URL(fileURLWithPath: DaemonProcess.catalogue).deletingLastPathComponent().deletingLastPathComponent()

    /// An installed tree; the binary the tests built, as building a release
    /// binary inside `swift test` would wait for the build lock `swift test` holds.
    struct Installed {
        let directory: TemporaryDirectory
        let prefix: String
        var binary: URL { URL(fileURLWithPath: prefix + "/bin/service-daemon") }

        init() throws {
            directory = try TemporaryDirectory()
            prefix = directory.path("prefix")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [Self.script, prefix]
            process.environment = ProcessInfo.processInfo.environment.merging(["SERVICE_DAEMON_BINARY": DaemonProcess.binary.path]) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0)
        }

        static let script = repository.appendingPathComponent("scripts/install.sh").path

        func run(_ arguments: [String], binary: URL? = nil) throws -> (status: Int32?, stdout: String, stderr: String) {
            try DaemonProcess.run(arguments, directory: URL(fileURLWithPath: "/"), catalogue: nil, executable: binary ?? self.binary)
        }

        func text(_ path: String) throws -> String { try String(contentsOfFile: prefix + "/" + path, encoding: .utf8) }
    }

    @Test func theInstalledBinaryBillsAndListsKeysFromTheRootDirectory() throws {
        let installed = try Installed()
        // The installed catalogue, not the source tree's, is the one read.
        let catalogue = installed.prefix + "/share/service-daemon/packages.json"
        let text = try String(contentsOfFile: catalogue, encoding: .utf8)
        #expect(text == (try String(contentsOfFile: DaemonProcess.catalogue, encoding: .utf8)))
        try text.replacingOccurrences(of: #""currency": "NOK""#, with: #""currency": "SEK""#).write(toFile: catalogue, atomically: true, encoding: .utf8)

        let db = installed.directory.path("state/service.db")
        #expect(try installed.run(["migrate", "--db", db]).status == 0)
        let created = try installed.run(["keys", "create", "--role", "admin", "--db", db])
        #expect(created.status == 0, "\(created.stderr)")
        let listed = try installed.run(["keys", "list", "--db", db])
        #expect(listed.status == 0)
        #expect(listed.stdout.hasPrefix("id\trole\t") && listed.stdout.contains("\nkey_") && listed.stdout.contains("\tadmin\t"), "\(listed.stdout)")
        let billed = try installed.run(["bill", "--year", "2025", "--db", db])
        #expect(billed.status == 0, "\(billed.stderr)")
        #expect(billed.stdout.hasSuffix("for 2025: 0 lines, total 0.00 SEK\n"), "\(billed.stdout)")

        // Through a symbolic link, as from /usr/local/bin into an /opt tree.
        let link = installed.directory.path("service-daemon")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: installed.binary.path)
        let linked = try installed.run(["bill", "--year", "2025", "--dry-run", "--db", db], binary: URL(fileURLWithPath: link))
        #expect(linked.stdout == "dry run for 2025: 0 lines, total 0.00 SEK\n", "\(linked.stderr)")

        // Without the installed catalogue, the binary says where it looked.
        try FileManager.default.removeItem(atPath: catalogue)
        let lost = try installed.run(["bill", "--year", "2025", "--db", db])
        #expect(lost.status == 78)
        #expect(lost.stderr.contains("no catalogue: none installed with the binary (looked at \(catalogue))"), "\(lost.stderr)")
    }

    @Test func everyCommandsHelpIsInstalled() throws {
        let installed = try Installed()
        for name in ["service-daemon", "service-daemon-serve", "service-daemon-migrate", "service-daemon-keys", "service-daemon-keys-create",
                     "service-daemon-keys-list", "service-daemon-keys-revoke", "service-daemon-bill", "service-daemon-invoice", "service-daemon-backup"] {
            let help = try installed.text("share/doc/service-daemon/\(name).txt")
            #expect(help.contains("USAGE: service-daemon\(name.dropFirst("service-daemon".count).replacingOccurrences(of: "-", with: " "))"), "\(name)")
        }
        #expect(try installed.text("share/doc/service-daemon/README.md").contains("## Operations"))
    }

    /// The unit's own command and environment, with the state directory moved
    /// into the test's folder: serves, and SIGTERM stops it with status 0.
    @Test func theSystemdUnitRunsTheInstalledBinaryAndStopsOnSIGTERM() throws {
        let installed = try Installed()
        let unit = try installed.text("lib/systemd/system/service-daemon.service")
        let settings = unit.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains("=") }.map { line -> (String, String) in
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), String(parts[1]))
        }
        func values(_ key: String) -> [String] { settings.filter { $0.0 == key }.map(\.1) }
        #expect(values("ExecStart") == ["\(installed.prefix)/bin/service-daemon serve"])
        #expect(values("Restart") == ["on-failure"])
        #expect(values("KillSignal") == ["SIGTERM"])
        #expect(values("ExecReload") == ["/bin/kill -HUP $MAINPID"])  // systemctl reload: TLS files re-read
        #expect(values("StateDirectory") == ["service-daemon"])
        #expect(values("User") == ["service-daemon"])
        #expect(values("RestartPreventExitStatus") == ["78"])
        for hardening in ["NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices", "RestrictAddressFamilies", "SystemCallErrorNumber",
                          "SystemCallFilter", "MemoryDenyWriteExecute", "CapabilityBoundingSet"] {
            #expect(!values(hardening).isEmpty, "\(hardening)")
        }

        let state = installed.directory.path("var-lib-service-daemon")
        var environment = ["SERVICE_DAEMON_PORT": "0"]
        for assignment in values("Environment") {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            environment[parts[0]] = parts[1].replacingOccurrences(of: "/var/lib/service-daemon", with: state)
        }
        #expect(environment["SERVICE_DAEMON_DB"] == state + "/service.db")
        let command = try #require(values("ExecStart").first).split(separator: " ").map(String.init)
        let daemon = try DaemonProcess(executable: URL(fileURLWithPath: command[0]), Array(command.dropFirst()), environment: environment,
                                       directory: URL(fileURLWithPath: "/"), catalogue: nil)
        try daemon.waitUntilListening()
        #expect(try daemon.client().request("GET", "/readyz").status == 200)
        daemon.terminate()
        #expect(daemon.wait() == 0)
        #expect(FileManager.default.fileExists(atPath: state + "/service.db"))
    }

    /// The cron line as cron runs it (`\%` read as `%`, through /bin/sh), in
    /// 2026, with the state directory moved into the test's folder and
    /// systemd-cat replaced by a stand-in that runs the command.
    @Test func theCronJobBillsThePreviousYear() throws {
        let f = try BillingRunTests.fixture()
        let installed = try Installed()
        let cron = try installed.text("share/service-daemon/service-daemon-billing.cron")
        let jobs = cron.split(separator: "\n").filter { $0.first.map { $0.isNumber || $0 == "*" || $0 == "@" } ?? false }
        #expect(jobs.count == 1)
        let fields = try #require(jobs.first).split(separator: " ", maxSplits: 6).map(String.init)
        #expect(Array(fields.prefix(5)) == ["0", "6", "5", "1", "*"])  // 06:00 on 5 January
        #expect(fields[5] == "service-daemon")

        let state = installed.directory.path("var-lib-service-daemon")
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let db = f.server.application.configuration.databasePath
        #expect(try DaemonProcess.run(["backup", "--db", db, "--to", state + "/service.db"]).status == 0)
        let stubs = installed.directory.path("stubs")
        try FileManager.default.createDirectory(atPath: stubs, withIntermediateDirectories: true)
        try "#!/bin/sh\n[ \"$1\" = +%Y ] && echo 2026\n".write(toFile: stubs + "/date", atomically: true, encoding: .utf8)
        try "#!/bin/sh\nwhile [ \"${1#-}\" != \"$1\" ]; do shift; done\nexec \"$@\"\n".write(toFile: stubs + "/systemd-cat", atomically: true, encoding: .utf8)
        for stub in ["date", "systemd-cat"] { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stubs + "/" + stub) }

        let command = fields[6].replacingOccurrences(of: "\\%", with: "%").replacingOccurrences(of: "/var/lib/service-daemon", with: state)
        let result = try DaemonProcess.run(["-c", command], environment: ["PATH": "\(stubs):/usr/bin:/bin"], directory: URL(fileURLWithPath: "/"),
                                           catalogue: nil, executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("for 2025: 3 lines, total 3195.00 NOK"), "\(result.stdout)")
        let csv = try String(contentsOfFile: state + "/billing-2025.csv", encoding: .utf8)
        #expect(csv.split(separator: "\r\n").count == 4)
    }
}
