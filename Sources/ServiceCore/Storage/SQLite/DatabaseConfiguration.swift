/// How the store opens its database.
public struct DatabaseConfiguration: Sendable, Equatable {
    public var path: String
    public var synchronous: SynchronousMode
    public var busyTimeoutMilliseconds: Int
    /// Read-only connections available for concurrent reads.
    public var readerCount: Int
    /// False for everything but the commands that set a database up: a
    /// mistyped path must fail, not start an empty database.
    public var createIfMissing: Bool
    /// Page cache of each connection (PRAGMA cache_size), in KiB. Read
    /// connections lose their cache whenever another connection commits, so a
    /// large one buys little and costs resident memory per connection.
    public var cacheKiB: Int = 2_048
    /// How much of the file each connection reads through a memory map
    /// (PRAGMA mmap_size), in bytes; 0 reads every page with a system call.
    /// Mapped pages are the kernel's page cache, shared by every connection:
    /// a read connection whose cache another commit invalidated finds them
    /// again without a copy. Off by default because mapped pages count in
    /// the process's resident memory (as file pages) and an I/O error while
    /// reading one is a signal, not an error code. SQLite caps the map at its
    /// build's limit (2 GiB on Debian).
    public var mmapBytes: Int = 0

    public init(
        path: String, synchronous: SynchronousMode = .full, busyTimeoutMilliseconds: Int = 5_000, readerCount: Int = 4,
        createIfMissing: Bool = true
    ) {
        self.path = path
        self.synchronous = synchronous
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.readerCount = readerCount
        self.createIfMissing = createIfMissing
    }

    /// Checked by the pool before it touches the file system, so a bad
    /// setting is reported by name rather than as an SQLite error.
    public func validate() throws {
        if path.isEmpty {
            // SQLite reads "" as a private temporary database: data would vanish on close.
            throw DatabaseConfigurationError("database path is empty")
        }
        if path == ":memory:" {
            // Each connection would get its own empty database, and WAL is impossible.
            throw DatabaseConfigurationError("database path is :memory:; the store needs a file")
        }
        if readerCount < 1 {
            throw DatabaseConfigurationError("reader count is \(readerCount); at least 1 read connection is needed")
        }
        if cacheKiB < 1 || cacheKiB > 1 << 30 {
            throw DatabaseConfigurationError("page cache is \(cacheKiB) KiB; it must be between 1 and \(1 << 30)")
        }
        if mmapBytes < 0 {
            throw DatabaseConfigurationError("memory map is \(mmapBytes) bytes; it must be 0 (none) or more")
        }
        if busyTimeoutMilliseconds < 0 || busyTimeoutMilliseconds > Int(Int32.max) {
            throw DatabaseConfigurationError("busy timeout is \(busyTimeoutMilliseconds) ms; it must be between 0 and \(Int32.max)")
        }
    }
}

public struct DatabaseConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = "invalid database configuration: \(description)"
    }
}
