import CSQLite
import Foundation

/// A consistent copy of a live database through SQLite's online backup API,
/// while the daemon goes on serving and writing.
///
/// The copy is made in one `sqlite3_backup_step(-1)`: one read transaction
/// on the source, so the copy is the snapshot of the moment it began (every
/// write committed before is in it) and writers are not held up (WAL).
/// Copying in several steps would restart from the beginning after every
/// commit by another connection, and under a steady write load might never
/// end. The copy is written beside the destination, checked with
/// `PRAGMA integrity_check`, made a single self-contained file (rollback
/// journal, no -wal beside it), synced, and only then renamed into place:
/// an existing backup at the destination is replaced only by a good one.
public enum OnlineBackup {
    public struct Report: Sendable, Equatable {
        public let pages: Int
        public let bytes: Int
        public let schemaVersion: Int
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Copies the database `source` reads (a connection no other thread
    /// uses meanwhile) to `destination`, an absolute path.
    public static func copy(from source: Connection, to destination: String) throws -> Report {
        let partial = destination + ".partial-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: partial) }
        let report: Report
        do {
            let target = try Connection(path: partial)
            guard let backup = sqlite3_backup_init(target.handle, "main", source.handle, "main") else {
                throw SQLiteError(connection: target.handle, code: sqlite3_errcode(target.handle), sql: "backup \(source.path)")
            }
            var code = sqlite3_backup_step(backup, -1)
            // Busy only while another connection recovers the WAL; wait as SQLite advises.
            while code == SQLITE_BUSY || code == SQLITE_LOCKED {
                sqlite3_sleep(10)
                code = sqlite3_backup_step(backup, -1)
            }
            let pages = Int(sqlite3_backup_pagecount(backup))
            sqlite3_backup_finish(backup)
            guard code == SQLITE_DONE else {
                throw SQLiteError(code: code, message: String(cString: sqlite3_errstr(code)), sql: "backup \(source.path)")
            }
            let verdict = try target.fetchAll("PRAGMA integrity_check").map { try $0.get(0, as: String.self) }
            guard verdict == ["ok"] else {
                throw Failure(description: "the copy fails integrity_check: \(verdict.prefix(5).joined(separator: "; "))")
            }
            _ = try target.fetchScalar("PRAGMA journal_mode = DELETE", as: String.self)
            report = Report(pages: pages, bytes: pages * (try target.fetchScalar("PRAGMA page_size", as: Int.self)),
                            schemaVersion: try target.userVersion())
        }
        try sync(partial)
        guard rename(partial, destination) == 0 else {
            throw Failure(description: "cannot move the copy to \(destination): \(String(cString: strerror(errno)))")
        }
        try sync((destination as NSString).deletingLastPathComponent)
        return report
    }

    /// fsync, so that a backup reported done survives a power cut (the
    /// folder too, for the rename).
    private static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Failure(description: "cannot sync \(path): \(String(cString: strerror(errno)))") }
    }
}
