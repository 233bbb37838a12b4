/// `PRAGMA synchronous`. FULL (the default here) fsyncs the WAL on every
/// commit, so an acknowledged write survives power loss; NORMAL may lose the
/// last transactions on power loss (never corrupts).
public enum SynchronousMode: String, Sendable, CaseIterable {
    case off, normal, full, extra
}
