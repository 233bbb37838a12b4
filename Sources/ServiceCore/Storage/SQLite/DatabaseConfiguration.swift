/// How the store opens its database.
public struct DatabaseConfiguration: Sendable, Equatable {
    public var path: String
    public var synchronous: SynchronousMode
    public var busyTimeoutMilliseconds: Int
    /// Read-only connections available for concurrent reads.
    public var readerCount: Int

    public init(path: String, synchronous: SynchronousMode = .full, busyTimeoutMilliseconds: Int = 5_000, readerCount: Int = 4) {
        self.path = path
        self.synchronous = synchronous
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.readerCount = readerCount
    }
}
