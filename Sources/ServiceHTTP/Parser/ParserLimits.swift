/// Upper bounds on what one request may occupy. Every limit turns into a
/// specific status rather than unbounded buffering.
public struct ParserLimits: Sendable, Equatable {
    /// Longest request-target; longer gets 414.
    public var maxRequestTargetBytes: Int = 8 * 1024
    /// Largest field section (and, separately, trailer section); larger gets 431.
    public var maxHeaderBytes: Int = 16 * 1024
    /// Most field lines in one section; more gets 431.
    public var maxHeaderCount: Int = 128
    /// Largest body; larger gets 413, announced sizes are refused before any
    /// body byte is read.
    public var maxBodyBytes: Int = 8 * 1024 * 1024
    /// Total chunk-extension bytes per message: extensions carry nothing we
    /// use, so they are only allowed to be small.
    public var maxChunkExtensionBytes: Int = 4 * 1024

    public init() {}
}
