import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The database file as the file system sees it, checked before SQLite opens
/// it. SQLite would create an empty database wherever a path points (a cron
/// job in the wrong directory would bill nothing and succeed), and its own
/// errors ("unable to open database file") name neither the path nor the
/// reason.
public enum DatabaseFile {
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// Only commands that may create a database (serve, migrate) go on.
        case missing(path: String)
        case directory(path: String)
        case notADatabase(path: String, reason: String)
        case notWritable(path: String, reason: String)

        public var path: String {
            switch self {
            case .missing(let path), .directory(let path), .notADatabase(let path, _), .notWritable(let path, _): return path
            }
        }

        public var description: String {
            switch self {
            case .missing(let path): return "no database at \(path); only serve and migrate create one"
            case .directory(let path): return "database \(path) is a directory, not a database file"
            case .notADatabase(let path, let reason): return "database \(path) is not a service-daemon database: \(reason)"
            case .notWritable(let path, let reason): return "database \(path) cannot be written: \(reason)"
            }
        }
    }

    private static let header = Array("SQLite format 3\0".utf8)

    /// Checks an absolute path; with `mayCreate`, creates its folder when the
    /// file does not exist yet.
    public static func check(_ path: String, mayCreate: Bool) throws(Problem) {
        let folder = (path as NSString).deletingLastPathComponent
        var info = stat()
        guard stat(path, &info) == 0 else {
            let error = errno
            guard error == ENOENT else { throw .notWritable(path: path, reason: reason(error)) }
            guard mayCreate else { throw .missing(path: path) }
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .notWritable(path: path, reason: "its folder \(folder) cannot be created")
            }
            try requireWritableFolder(folder, of: path)
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw .directory(path: path)
        case S_IFREG: break
        default: throw .notADatabase(path: path, reason: "not a regular file")
        }
        guard access(path, R_OK | W_OK) == 0 else { throw .notWritable(path: path, reason: reason(errno)) }
        try requireWritableFolder(folder, of: path)
        if info.st_size == 0 {
            // SQLite takes an empty file for an empty database; only a command that makes one may.
            guard mayCreate else { throw .notADatabase(path: path, reason: "the file is empty") }
            return
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .notWritable(path: path, reason: "cannot be read") }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: header.count)).map { [UInt8]($0) } ?? []
        guard start == header else { throw .notADatabase(path: path, reason: "not an SQLite file") }
    }

    /// WAL mode keeps two files beside the database, which SQLite creates.
    private static func requireWritableFolder(_ folder: String, of path: String) throws(Problem) {
        guard access(folder, W_OK | X_OK) == 0 else {
            throw .notWritable(path: path, reason: "its folder \(folder) is not writable (\(reason(errno))), and SQLite keeps its -wal and -shm files there")
        }
    }

    private static func reason(_ error: Int32) -> String { String(cString: strerror(error)) }
}
