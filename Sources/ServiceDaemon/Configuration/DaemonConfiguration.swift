import ServiceCore
import ServiceHTTP

/// Every setting of the daemon, with its default. Values arrive from four
/// layers, later ones winning: defaults, config file, environment
/// (`SERVICE_DAEMON_*`), command-line flags. See `ConfigurationResolver`.
struct DaemonConfiguration: Equatable, Sendable {
    var host = "127.0.0.1"
    var port = 8080
    var databasePath = "data/service.db"
    /// Nil: the catalogue shipped with the binary (`CatalogueLocation`).
    var cataloguePath: String?
    var synchronous = SynchronousMode.full
    var busyTimeoutMilliseconds = 5_000
    var databaseReaders = 4
    var eventLoops = ServerConfiguration.processorCount
    var workers = max(4, 2 * ServerConfiguration.processorCount)
    var readWorkers = max(2, ServerConfiguration.processorCount)
    /// Resource writes: a contract with 500 serials is about 40 KB.
    var maxBodyBytes = 64 * 1024
    /// Meter-reading batches: 10 000 readings of up to about 310 bytes each
    /// (compact JSON with a 64-character serial and 13-digit counters).
    /// Sixteen bodies at the limit stay within 128 MiB of resident memory.
    var maxBatchBodyBytes = 3 * 1024 * 1024
    var headerTimeoutMilliseconds = 10_000
    var bodyTimeoutMilliseconds = 30_000
    var idleTimeoutMilliseconds = 60_000
    var writeTimeoutMilliseconds = 30_000
    var tlsCertificatePath: String?
    var tlsKeyPath: String?
    var tlsHandshakeTimeoutMilliseconds = 10_000
    var maxConnections = 4_096
    var shutdownGraceMilliseconds = 10_000
    var logLevel = LogLevelSetting.info
    var databaseCacheKiB = 2_048
    var databaseMmapMiB = 0
    /// glibc malloc arenas; 0 keeps glibc's default (8 per core).
    var mallocArenaMax = 2
    /// 0: freed memory is left to the allocator.
    var memoryTrimMilliseconds = 1_000
    /// Nil: no metrics. Otherwise `GET /metrics` on 127.0.0.1 at this port (0 picks one).
    var metricsPort: Int?
    /// First retry delay of a failed webhook delivery; each later one doubles.
    var webhookRetryBaseMilliseconds = 5_000
    /// Development and tests: http endpoints and internal addresses allowed.
    var webhookAllowInsecure = false
    /// Endpoints delivered to at once.
    var webhookConcurrency = 4
    /// Tests only, not a setting: trust these CA certificates for https
    /// endpoints instead of the system's store (a receiver's own certificate).
    var webhookCAFile: String?

    var webhooks: WebhookSettings {
        var settings = WebhookSettings()
        settings.retry = WebhookRetrySchedule(baseMilliseconds: webhookRetryBaseMilliseconds)
        settings.policy = OutboundPolicy(allowInsecure: webhookAllowInsecure)
        settings.concurrency = webhookConcurrency
        settings.caFile = webhookCAFile
        return settings
    }

    var server: ServerConfiguration {
        var server = ServerConfiguration()
        server.host = host
        server.port = port
        server.eventLoopCount = eventLoops
        server.workerCount = workers
        server.readerCount = readWorkers
        // The server's limit is the largest any route takes; each route's
        // own is applied as soon as its head arrives.
        server.limits.maxBodyBytes = max(maxBodyBytes, maxBatchBodyBytes)
        server.headerTimeout = .milliseconds(headerTimeoutMilliseconds)
        server.bodyTimeout = .milliseconds(bodyTimeoutMilliseconds)
        server.idleTimeout = .milliseconds(idleTimeoutMilliseconds)
        server.writeTimeout = .milliseconds(writeTimeoutMilliseconds)
        server.tlsHandshakeTimeout = .milliseconds(tlsHandshakeTimeoutMilliseconds)
        server.maxConnections = maxConnections
        server.shutdownGracePeriod = .milliseconds(shutdownGraceMilliseconds)
        server.memoryTrimInterval = memoryTrimMilliseconds > 0 ? .milliseconds(memoryTrimMilliseconds) : nil
        return server
    }

    /// Both TLS files or neither: one alone is a mistake, not plain HTTP.
    var tlsPairProblem: String? {
        switch (tlsCertificatePath, tlsKeyPath) {
        case (.some, nil): "tls_cert is set but tls_key is not; set both (HTTPS) or neither (HTTP)"
        case (nil, .some): "tls_key is set but tls_cert is not; set both (HTTPS) or neither (HTTP)"
        default: nil
        }
    }

    var database: DatabaseConfiguration {
        var database = DatabaseConfiguration(
            path: databasePath,
            synchronous: synchronous,
            busyTimeoutMilliseconds: busyTimeoutMilliseconds,
            readerCount: databaseReaders
        )
        database.cacheKiB = databaseCacheKiB
        database.mmapBytes = databaseMmapMiB << 20
        return database
    }
}

enum LogLevelSetting: String, CaseIterable, Sendable {
    case trace, debug, info, notice, warning, error, critical
}
