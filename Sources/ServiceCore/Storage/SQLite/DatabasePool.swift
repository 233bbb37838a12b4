import Foundation

/// The store's connections: one writer, serialised, and a pool of read-only
/// connections for concurrent reads (WAL mode). Thread-safe; handlers on the
/// worker pool call it directly.
public final class DatabasePool: @unchecked Sendable {
    public let configuration: DatabaseConfiguration
    private let writer: Connection
    private let writerLock = NSLock()
    private let readersAvailable = NSCondition()
    /// Idle readers; up to `configuration.readerCount` are opened, each when
    /// first needed (every connection parses the schema when it opens, which
    /// start-up need not wait for, nor a daemon that never reads concurrently).
    private var readers: [Connection] = []
    private var openedReaders = 0
    /// Read connections kept by the thread that opened them (`readOnThreadConnection`),
    /// by `pthread_self()`. Only event loops ask for one: a handful, for the server's life.
    /// A thread started after one ended may get its id, and its connection:
    /// no two live threads share one.
    private var threadReaders: [UInt: Connection] = [:]
    private let threadReadersLock = NSLock()
    private let onWait: (@Sendable (Access, _ nanoseconds: UInt64) -> Void)?

    /// What a caller waited for: a read connection, or the writer.
    public enum Access: String, Sendable, CaseIterable {
        case read, write
    }

    /// Opens the database at `configuration.path`, made absolute. A path that
    /// is missing (unless `createIfMissing`), a folder, not a database or not
    /// writable throws `DatabaseFile.Problem` naming it. `onWait` hears of
    /// every read or write that had to wait for its connection, and how
    /// long, after the wait (metrics); it is never called on the fast path.
    public init(configuration: DatabaseConfiguration, onWait: (@Sendable (Access, _ nanoseconds: UInt64) -> Void)? = nil) throws {
        self.onWait = onWait
        try configuration.validate()
        var configuration = configuration
        configuration.path = absolutePath(configuration.path)
        self.configuration = configuration
        try DatabaseFile.check(configuration.path, mayCreate: configuration.createIfMissing)
        // Read-only connections open only after the writer switched the file
        // to WAL (they cannot change the journal mode): they open lazily.
        writer = try Self.openWriter(configuration)
    }

    /// The writer, with SQLite's verdicts on the file given as the same
    /// problems as the checks before it.
    private static func openWriter(_ configuration: DatabaseConfiguration) throws -> Connection {
        let path = configuration.path
        let writer: Connection
        do {
            writer = try Connection(path: path, configuration: configuration)
        } catch let error as SQLiteError where error.resultCode == SQLiteError.notADatabase {
            throw DatabaseFile.Problem.notADatabase(path: path, reason: error.message)
        } catch let error as SQLiteError where error.resultCode == SQLiteError.readOnly || error.resultCode == SQLiteError.cannotOpen {
            throw DatabaseFile.Problem.notWritable(path: path, reason: error.message)
        }
        // SQLite quietly opens a file it may not write read-only.
        guard !writer.isReadOnlyDatabase else {
            throw DatabaseFile.Problem.notWritable(path: path, reason: "SQLite can only open it read-only")
        }
        if !configuration.createIfMissing, try writer.userVersion() == 0 {
            throw DatabaseFile.Problem.notADatabase(path: path, reason: "an SQLite file without this daemon's schema (run migrate to set one up)")
        }
        return writer
    }

    /// Runs `body` in an IMMEDIATE transaction on the writer. Writes are
    /// serialised here rather than contending for SQLite's lock.
    public func write<T>(_ body: (Connection) throws -> T) throws -> T {
        lockWriter()
        defer { writerLock.unlock() }
        return try writer.transaction(.immediate) { try body(writer) }
    }

    /// The writer without a surrounding transaction, for work that manages
    /// its own (migrations, one transaction per step).
    public func writeWithoutTransaction<T>(_ body: (Connection) throws -> T) throws -> T {
        lockWriter()
        defer { writerLock.unlock() }
        return try body(writer)
    }

    private func lockWriter() {
        if writerLock.try() { return }
        let started = DispatchTime.now().uptimeNanoseconds
        writerLock.lock()
        onWait?(.write, DispatchTime.now().uptimeNanoseconds - started)
    }

    /// Runs `body` on a reader inside a deferred transaction, so everything
    /// it reads comes from one snapshot. Waits while all readers are busy.
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        let reader = try checkOut()
        defer { checkIn(reader) }
        return try reader.transaction(.deferred) { try body(reader) }
    }

    /// Runs `body` like `read`, on a connection only the calling thread uses,
    /// opened on its first call: it never waits for a pooled reader that a
    /// report holds. For an event loop, where waiting would stall every
    /// connection of the loop. A call nested in another on the same thread
    /// (its connection is in a transaction) reads from the pool instead.
    public func readOnThreadConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let reader = try threadReader()
        guard !reader.isInTransaction else { return try read(body) }
        return try reader.transaction(.deferred) { try body(reader) }
    }

    private func threadReader() throws -> Connection {
        let thread = UInt(pthread_self())
        threadReadersLock.lock()
        defer { threadReadersLock.unlock() }
        if let reader = threadReaders[thread] { return reader }
        let reader = try Connection(path: configuration.path, readOnly: true, configuration: configuration)
        threadReaders[thread] = reader
        return reader
    }

    /// Runs `body` on two read connections that see the same snapshot, for
    /// work that scans two tables at once on two threads. Both transactions
    /// take their snapshot while this holds SQLite's write lock (an IMMEDIATE
    /// transaction on the writer), so no commit, from this process or
    /// another, can fall between them. The second connection is opened for
    /// the call: two pooled readers held at once could starve the pool.
    /// Not from inside `write`: it takes the writer itself.
    public func readSnapshotPair<T>(_ body: (Connection, Connection) throws -> T) throws -> T {
        let second = try Connection(path: configuration.path, readOnly: true, configuration: configuration)
        return try read { first in
            try second.transaction(.deferred) {
                try write { _ in
                    // A read transaction starts at its first read, not at BEGIN.
                    for connection in [first, second] {
                        _ = try connection.fetchScalar("SELECT count(*) FROM sqlite_schema", as: Int.self)
                    }
                }
                return try body(first, second)
            }
        }
    }

    /// Copies the WAL into the database file and truncates it to zero
    /// bytes (a clean shutdown leaves nothing to recover). False when a
    /// reader in another process kept part of it from being copied.
    @discardableResult
    public func checkpoint() throws -> Bool {
        try writerLock.withLock {
            try writer.fetchScalar("PRAGMA wal_checkpoint(TRUNCATE)", as: Int.self) == 0
        }
    }

    private func checkOut() throws -> Connection {
        readersAvailable.lock()
        if let reader = readers.popLast() {
            readersAvailable.unlock()
            return reader
        }
        if openedReaders < configuration.readerCount {
            openedReaders += 1
            readersAvailable.unlock()
            do {
                return try Connection(path: configuration.path, readOnly: true, configuration: configuration)
            } catch {
                readersAvailable.lock()
                openedReaders -= 1
                readersAvailable.signal()
                readersAvailable.unlock()
                throw error
            }
        }
        let started = DispatchTime.now().uptimeNanoseconds
        while readers.isEmpty { readersAvailable.wait() }
        let reader = readers.removeLast()
        readersAvailable.unlock()
        onWait?(.read, DispatchTime.now().uptimeNanoseconds - started)
        return reader
    }

    private func checkIn(_ reader: Connection) {
        readersAvailable.lock()
        readers.append(reader)
        readersAvailable.signal()
        readersAvailable.unlock()
    }
}
