#if canImport(Glibc)
import Glibc
#endif

/// Everything the server can be tuned by. Defaults suit a small production
/// deployment; tests shrink the timeouts.
public struct ServerConfiguration: Sendable {
    /// Address to listen on: an IPv4 or IPv6 literal or a host name. "::"
    /// listens on IPv6 and IPv4 together.
    public var host: String = "127.0.0.1"
    /// 0 lets the kernel pick a free port; `HTTPServer.port` reports it.
    public var port: Int = 8080
    public var eventLoopCount: Int = ServerConfiguration.processorCount
    /// Threads for handlers that may wait (writes, stream producers).
    public var workerCount: Int = max(4, 2 * ServerConfiguration.processorCount)
    /// Threads for handlers that compute and read (GET): one per core, at
    /// least two so that one long read does not stop every other.
    public var readerCount: Int = max(2, ServerConfiguration.processorCount)
    public var limits = ParserLimits()
    /// From a connection's first byte (or its opening) to the end of the
    /// request head: the slowloris bound.
    public var headerTimeout: Duration = .seconds(10)
    /// Longest pause between two reads of a request body.
    public var bodyTimeout: Duration = .seconds(30)
    /// How long a keep-alive connection may sit between requests.
    public var idleTimeout: Duration = .seconds(60)
    /// Longest pause in the client's reading of our response.
    public var writeTimeout: Duration = .seconds(30)
    /// With TLS on, from accepting a connection to the end of its handshake;
    /// the header timeout starts after it.
    public var tlsHandshakeTimeout: Duration = .seconds(10)
    /// Connections beyond this get a 503 and are closed.
    public var maxConnections: Int = 4096
    /// On shutdown, how long in-flight requests may take before their
    /// connections are closed regardless.
    public var shutdownGracePeriod: Duration = .seconds(10)
    /// How often, while requests arrive, freed memory is handed back to the
    /// system (see `MemoryTrimmer`); nil leaves it to the allocator.
    public var memoryTrimInterval: Duration?
    public var backlog: Int32 = 1024
    public var serverName: String = "service-daemon"

    public init() {}

    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Checks the values for consistency; the daemon reports these to the
    /// operator before it binds anything.
    public func validate() throws(ConfigurationError) {
        guard (0...65535).contains(port) else { throw .init("port must be 0...65535, got \(port)") }
        guard !host.isEmpty else { throw .init("host must not be empty") }
        guard (1...256).contains(eventLoopCount) else { throw .init("event loop count must be 1...256") }
        guard (1...1024).contains(workerCount) else { throw .init("worker count must be 1...1024") }
        guard (1...1024).contains(readerCount) else { throw .init("reader count must be 1...1024") }
        guard maxConnections > 0 else { throw .init("max connections must be positive") }
        guard limits.maxBodyBytes >= 0 else { throw .init("max body bytes must not be negative") }
        for (name, value) in [("header", headerTimeout), ("body", bodyTimeout), ("idle", idleTimeout), ("write", writeTimeout), ("TLS handshake", tlsHandshakeTimeout)]
        where value <= .zero {
            throw .init("\(name) timeout must be positive")
        }
        guard shutdownGracePeriod >= .zero else { throw .init("shutdown grace period must not be negative") }
        if let memoryTrimInterval, memoryTrimInterval <= .zero { throw .init("memory trim interval must be positive") }
    }
}

public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Duration {
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
