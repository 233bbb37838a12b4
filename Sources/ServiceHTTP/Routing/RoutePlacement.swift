/// Where a handler runs. Event-loop threads multiplex every connection, so
/// anything that can block (SQLite, file I/O, a long computation) must run
/// on a pool; only trivial handlers may run inline.
public enum RoutePlacement: Sendable {
    /// On the event loop: no blocking, no locks held for long.
    case eventLoop
    /// On the reader pool, one thread per core: handlers that compute and
    /// read (the default of GET). Such work is CPU-bound, and more threads
    /// than cores only time-slice it: on two cores, four threads serving
    /// pages of contracts at 16 connections answered fewer requests with a
    /// p99 a third longer than two. Handlers that wait here hold a core's
    /// share of the server.
    case readerPool
    /// On the worker pool (the default of every other method): handlers that
    /// may wait, for the database's single writer, for a commit's fsync, so
    /// that a queue of writes never takes the readers' threads. Stream
    /// producers, which wait for their client, run here too, and so do
    /// reads that take long (a report over a year), so that a few of them
    /// never hold every reader.
    case workerPool
}
