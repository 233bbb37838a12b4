/// Where a handler runs. Event-loop threads multiplex every connection, so
/// anything that can block (SQLite, file I/O, a long computation) must run
/// on a pool; only trivial handlers may run inline.
public enum RoutePlacement: Sendable {
    /// On the event loop: no blocking, no locks held for long. Also a hot
    /// read of a few rows by key, through the loop's own database connection
    /// (`EventLoopThread`): it saves the hand-off to a reader and back, two
    /// thread wake-ups a request, which on a small virtual machine cost a
    /// member read a third of its paced p99. The price: while such a read
    /// waits for a page the OS does not hold in memory, the loop's other
    /// connections wait with it. Nothing that scans or pages belongs here.
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
