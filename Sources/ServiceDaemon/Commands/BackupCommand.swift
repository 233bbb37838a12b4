import ArgumentParser
import Foundation
import ServiceCore

/// An online backup of the live database, safe while the daemon serves and
/// writes: see `OnlineBackup`.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database, consistent and checked, while the daemon serves and writes.",
        discussion: """
            The copy holds every write committed before the backup began. It is checked with PRAGMA integrity_check, \
            synced, and renamed into place only then, so an earlier backup at --to is replaced only by a good one. \
            Restore: stop the daemon, copy the backup to the database path, start the daemon.
            """
    )

    @Option(help: "The backup file to write (replaced if it exists).")
    var to: String

    @OptionGroup var shared: SharedOptions

    func run() throws {
        let configuration = try shared.resolve()
        let destination = absolutePath(to)
        do {
            let database = try CommandDatabase.open(configuration, creating: false)
            try Self.checkDestination(destination, database: database.configuration.path)
            let start = ContinuousClock.now
            let report = try database.read { try OnlineBackup.copy(from: $0, to: destination) }
            let elapsed = (ContinuousClock.now - start).formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))
            print("backed up \(database.configuration.path) to \(destination): schema version \(report.schemaVersion), "
                + "\(report.bytes) bytes, integrity_check ok, in \(elapsed)")
        } catch {
            throw CommandFailure.exit(error, "backup failed")
        }
    }

    /// Never over the database itself, nor into a folder.
    static func checkDestination(_ destination: String, database: String) throws {
        var target = stat(), source = stat()
        if stat(destination, &target) == 0 {
            guard target.st_mode & S_IFMT == S_IFREG else { throw ValidationError("--to \(destination) is not a regular file") }
            if stat(database, &source) == 0, source.st_dev == target.st_dev, source.st_ino == target.st_ino {
                throw ValidationError("--to \(destination) is the database itself")
            }
        }
        let folder = (destination as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--to \(destination): no folder \(folder)")
        }
    }
}
