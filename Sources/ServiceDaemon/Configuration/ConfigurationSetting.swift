import ServiceCore

/// One configurable value: its name in the config file, the environment
/// variable derived from it, and how a text value is parsed and checked.
struct ConfigurationSetting: Sendable {
    let key: String
    let help: String
    /// Takes `true` or `false`; a config file may give it as a JSON boolean.
    var isBoolean = false
    let apply: @Sendable (inout DaemonConfiguration, String) throws(SettingError) -> Void

    var environmentVariable: String { "SERVICE_DAEMON_" + key.uppercased() }

    struct SettingError: Error {
        let message: String
    }

    static func text(_ key: String, _ help: String, _ set: @escaping @Sendable (inout DaemonConfiguration, String) -> Void) -> ConfigurationSetting {
        ConfigurationSetting(key: key, help: help) { (config, value) throws(SettingError) in
            guard !value.isEmpty else { throw SettingError(message: "must not be empty") }
            set(&config, value)
        }
    }

    static func integer(
        _ key: String, _ help: String, _ range: ClosedRange<Int>,
        _ set: @escaping @Sendable (inout DaemonConfiguration, Int) -> Void
    ) -> ConfigurationSetting {
        ConfigurationSetting(key: key, help: help) { (config, value) throws(SettingError) in
            guard let number = Int(value), range.contains(number) else {
                throw SettingError(message: "must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(value)'")
            }
            set(&config, number)
        }
    }

    static func choice<T: RawRepresentable & CaseIterable & Sendable>(
        _ key: String, _ help: String, _ type: T.Type,
        _ set: @escaping @Sendable (inout DaemonConfiguration, T) -> Void
    ) -> ConfigurationSetting where T.RawValue == String {
        ConfigurationSetting(key: key, help: help) { (config, value) throws(SettingError) in
            guard let choice = T(rawValue: value.lowercased()) else {
                let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
                throw SettingError(message: "must be one of \(allowed), got '\(value)'")
            }
            set(&config, choice)
        }
    }

    static func boolean(_ key: String, _ help: String, _ set: @escaping @Sendable (inout DaemonConfiguration, Bool) -> Void) -> ConfigurationSetting {
        ConfigurationSetting(key: key, help: help, isBoolean: true) { (config, value) throws(SettingError) in
            switch value.lowercased() {
            case "true": set(&config, true)
            case "false": set(&config, false)
            default: throw SettingError(message: "must be true or false, got '\(value)'")
            }
        }
    }

    private static let day = 86_400_000

    /// The table of all settings; README's configuration section lists the same.
    static let all: [ConfigurationSetting] = [
        .text("host", "address to listen on (IPv4, IPv6 or name; \"::\" for all)") { $0.host = $1 },
        .integer("port", "TCP port; 0 picks a free one", 0...65535) { $0.port = $1 },
        .text("db", "SQLite database file; its folder is created") { $0.databasePath = $1 },
        .text("catalogue", "catalogue JSON (tiers, families, prices)") { $0.cataloguePath = $1 },
        .choice("synchronous", "SQLite synchronous mode", SynchronousMode.self) { $0.synchronous = $1 },
        .integer("busy_timeout_ms", "how long SQLite waits for a lock", 0...600_000) { $0.busyTimeoutMilliseconds = $1 },
        .integer("db_readers", "read connections in the pool", 1...64) { $0.databaseReaders = $1 },
        .integer("event_loops", "event-loop threads", 1...256) { $0.eventLoops = $1 },
        .integer("workers", "threads for handlers that wait (writes)", 1...1024) { $0.workers = $1 },
        .integer("read_workers", "threads for GET handlers (CPU-bound reads)", 1...1024) { $0.readWorkers = $1 },
        .integer("max_body_bytes", "largest body of a resource write", 1_024...(1 << 30)) { $0.maxBodyBytes = $1 },
        .integer("max_batch_body_bytes", "largest body of a meter-reading batch", 1_024...(1 << 30)) { $0.maxBatchBodyBytes = $1 },
        .integer("header_timeout_ms", "time allowed for a request head", 1...day) { $0.headerTimeoutMilliseconds = $1 },
        .integer("body_timeout_ms", "longest pause while reading a body", 1...day) { $0.bodyTimeoutMilliseconds = $1 },
        .integer("idle_timeout_ms", "keep-alive idle time", 1...day) { $0.idleTimeoutMilliseconds = $1 },
        .integer("write_timeout_ms", "longest pause in a client's reading", 1...day) { $0.writeTimeoutMilliseconds = $1 },
        .text("tls_cert", "PEM certificate (chain) file; with tls_key, the server speaks only HTTPS") { $0.tlsCertificatePath = $1 },
        .text("tls_key", "PEM private key file (unencrypted) for tls_cert") { $0.tlsKeyPath = $1 },
        .integer("tls_handshake_timeout_ms", "time allowed for a TLS handshake", 1...day) { $0.tlsHandshakeTimeoutMilliseconds = $1 },
        .integer("max_connections", "open connections before 503", 1...1_000_000) { $0.maxConnections = $1 },
        .integer("shutdown_grace_ms", "time for in-flight requests at shutdown", 0...day) { $0.shutdownGraceMilliseconds = $1 },
        .choice("log_level", "lowest level logged", LogLevelSetting.self) { $0.logLevel = $1 },
        .integer("db_cache_kib", "SQLite page cache per connection, KiB", 64...(1 << 20)) { $0.databaseCacheKiB = $1 },
        .integer("db_mmap_mib", "MiB of the database file read through a memory map; 0 none", 0...(1 << 20)) { $0.databaseMmapMiB = $1 },
        .integer("malloc_arena_max", "glibc malloc arenas; 0 keeps glibc's default", 0...64) { $0.mallocArenaMax = $1 },
        .integer("memory_trim_ms", "how often grown free memory is returned to the system; 0 never", 0...day) { $0.memoryTrimMilliseconds = $1 },
        .integer("metrics_port", "port of GET /metrics on 127.0.0.1; unset: no metrics", 0...65535) { $0.metricsPort = $1 },
        .integer("webhook_retry_base_ms", "first retry delay of a failed webhook delivery; later ones double", 1...3_600_000) {
            $0.webhookRetryBaseMilliseconds = $1
        },
        .boolean("webhook_allow_insecure", "allow http webhook URLs and internal addresses (development, tests)") { $0.webhookAllowInsecure = $1 },
        .integer("webhook_concurrency", "webhook endpoints delivered to at once", 1...64) { $0.webhookConcurrency = $1 },
    ]

    static func named(_ key: String) -> ConfigurationSetting? { all.first { $0.key == key } }
}
