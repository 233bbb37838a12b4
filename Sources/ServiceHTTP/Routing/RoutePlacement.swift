/// Where a handler runs. Event-loop threads multiplex every connection, so
/// anything that can block (SQLite, file I/O, a long computation) must run
/// on the worker pool; only trivial handlers may run inline.
public enum RoutePlacement: Sendable {
    /// On the event loop: no blocking, no locks held for long.
    case eventLoop
    /// On the blocking worker pool (the default).
    case workerPool
}
