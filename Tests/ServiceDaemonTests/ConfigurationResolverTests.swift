import Foundation
import Testing
@testable import ServiceDaemon

@Suite struct ConfigurationResolverTests {
    static func resolver(flags: [String: String] = [:], environment: [String: String] = [:], file: String? = nil) -> ConfigurationResolver {
        ConfigurationResolver(flags: flags, environment: environment) { path in
            guard let file else { throw CocoaError(.fileNoSuchFile) }
            #expect(path == "/etc/service-daemon.json")
            return Data(file.utf8)
        }
    }

    @Test func defaults() throws {
        let configuration = try Self.resolver().resolve()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.databasePath == "data/service.db")
        #expect(configuration.synchronous == .full)
    }

    /// flags > environment > config file > defaults, key by key.
    @Test func precedence() throws {
        let file = #"{"host": "0.0.0.0", "port": 9000, "db": "/var/file.db", "workers": 3, "log_level": "debug"}"#
        let environment = [
            "SERVICE_DAEMON_CONFIG": "/etc/service-daemon.json",
            "SERVICE_DAEMON_PORT": "9100",
            "SERVICE_DAEMON_DB": "/var/env.db",
            "PATH": "/usr/bin",
        ]
        let configuration = try Self.resolver(flags: ["db": "/var/flag.db"], environment: environment, file: file).resolve()
        #expect(configuration.databasePath == "/var/flag.db")  // flag over env and file
        #expect(configuration.port == 9100)  // env over file
        #expect(configuration.host == "0.0.0.0")  // file over default
        #expect(configuration.workers == 3)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.idleTimeoutMilliseconds == 60_000)  // default
    }

    @Test func configFlagOverridesConfigVariable() throws {
        let configuration = try Self.resolver(
            flags: ["config": "/etc/service-daemon.json"],
            environment: ["SERVICE_DAEMON_CONFIG": "/elsewhere.json"],
            file: #"{"port": 1234}"#
        ).resolve()
        #expect(configuration.port == 1234)
    }

    struct BadInput: CustomTestStringConvertible, Sendable {
        let flags: [String: String]
        let environment: [String: String]
        let file: String?
        let mentions: String
        var testDescription: String { mentions }
    }

    static let config = ["SERVICE_DAEMON_CONFIG": "/etc/service-daemon.json"]

    static let badInputs: [BadInput] = [
        BadInput(flags: ["port": "80a"], environment: [:], file: nil, mentions: "--port: must be an integer in 0...65535, got '80a'"),
        BadInput(flags: ["port": "70000"], environment: [:], file: nil, mentions: "--port"),
        BadInput(flags: [:], environment: ["SERVICE_DAEMON_PORT": "-1"], file: nil, mentions: "environment SERVICE_DAEMON_PORT"),
        BadInput(flags: [:], environment: ["SERVICE_DAEMON_PROT": "1"], file: nil, mentions: "environment SERVICE_DAEMON_PROT: unknown setting"),
        BadInput(flags: [:], environment: ["SERVICE_DAEMON_SYNCHRONOUS": "sometimes"], file: nil, mentions: "must be one of"),
        BadInput(flags: ["log_level": "loud"], environment: [:], file: nil, mentions: "--log-level"),
        BadInput(flags: ["db": ""], environment: [:], file: nil, mentions: "--db: must not be empty"),
        BadInput(flags: [:], environment: config, file: #"{"port": "x"}"#, mentions: "config file /etc/service-daemon.json: port"),
        BadInput(flags: [:], environment: config, file: #"{"port": true}"#, mentions: "port: must be a string or an integer"),
        BadInput(flags: [:], environment: config, file: #"{"bogus": 1}"#, mentions: "bogus: unknown setting"),
        BadInput(flags: [:], environment: config, file: #"[1, 2]"#, mentions: "must be a JSON object, got an array"),
        BadInput(flags: [:], environment: config, file: #"{"port": 9000, "port": 9001}"#,
                 mentions: "config file /etc/service-daemon.json: invalid JSON at byte 21: duplicate member \"port\""),
        BadInput(flags: [:], environment: config, file: #"{"port": 9000, "host": "0.0"#,
                 mentions: "config file /etc/service-daemon.json: invalid JSON at byte 27"),
        BadInput(flags: [:], environment: config, file: "", mentions: "config file /etc/service-daemon.json: invalid JSON at byte 0"),
        BadInput(flags: [:], environment: config, file: nil, mentions: "cannot be read"),
        BadInput(flags: [:], environment: config, file: #"{"workers": 0}"#, mentions: "workers: must be an integer in 1...1024"),
        BadInput(flags: [:], environment: ["SERVICE_DAEMON_READ_WORKERS": "0"], file: nil,
                 mentions: "environment SERVICE_DAEMON_READ_WORKERS: must be an integer in 1...1024, got '0'"),
        BadInput(flags: [:], environment: ["SERVICE_DAEMON_MAX_BODY_BYTES": "1023"], file: nil,
                 mentions: "environment SERVICE_DAEMON_MAX_BODY_BYTES: must be an integer in 1024...1073741824, got '1023'"),
        BadInput(flags: [:], environment: config, file: #"{"max_batch_body_bytes": "4M"}"#,
                 mentions: "max_batch_body_bytes: must be an integer in 1024...1073741824, got '4M'"),
    ]

    /// Resource writes get the small limit, batches the large one; the server
    /// refuses from the larger, each route from its own.
    /// Webhook settings: a JSON boolean in the file for the one boolean
    /// setting (and only there), text anywhere else.
    @Test func webhookSettings() throws {
        let defaults = try Self.resolver().resolve()
        #expect(defaults.webhookRetryBaseMilliseconds == 5_000)
        #expect(defaults.webhookAllowInsecure == false)
        #expect(defaults.webhookConcurrency == 4)
        let file = try Self.resolver(environment: Self.config, file: #"{"webhook_allow_insecure": true, "webhook_retry_base_ms": 250}"#).resolve()
        #expect(file.webhookAllowInsecure)
        #expect(file.webhooks.retry.baseMilliseconds == 250)
        let environment = try Self.resolver(environment: ["SERVICE_DAEMON_WEBHOOK_ALLOW_INSECURE": "TRUE", "SERVICE_DAEMON_WEBHOOK_CONCURRENCY": "8"]).resolve()
        #expect(environment.webhooks.policy.allowInsecure)
        #expect(environment.webhookConcurrency == 8)
        for (environment, message) in [
            (["SERVICE_DAEMON_WEBHOOK_ALLOW_INSECURE": "yes"], "must be true or false"),
            (["SERVICE_DAEMON_WEBHOOK_RETRY_BASE_MS": "0"], "must be an integer in 1...3600000"),
            (["SERVICE_DAEMON_WEBHOOK_CONCURRENCY": "65"], "must be an integer in 1...64"),
        ] {
            #expect(throws: (any Error).self) { try Self.resolver(environment: environment).resolve() }
            do { _ = try Self.resolver(environment: environment).resolve() } catch { #expect(error.description.contains(message)) }
        }
    }

    /// The database's memory map is off unless set, and set in MiB.
    @Test func databaseMemoryMap() throws {
        #expect(try Self.resolver().resolve().database.mmapBytes == 0)
        let set = try Self.resolver(environment: ["SERVICE_DAEMON_DB_MMAP_MIB": "256"]).resolve()
        #expect(set.database.mmapBytes == 268_435_456)
        #expect(throws: (any Error).self) { try Self.resolver(environment: ["SERVICE_DAEMON_DB_MMAP_MIB": "-1"]).resolve() }
    }

    @Test func bodyLimits() throws {
        let defaults = try Self.resolver().resolve()
        #expect(defaults.maxBodyBytes == 65_536)
        #expect(defaults.maxBatchBodyBytes == 3_145_728)
        #expect(defaults.server.limits.maxBodyBytes == 3_145_728)
        let set = try Self.resolver(environment: ["SERVICE_DAEMON_MAX_BODY_BYTES": "8388608", "SERVICE_DAEMON_MAX_BATCH_BODY_BYTES": "2048"]).resolve()
        #expect(set.maxBodyBytes == 8_388_608)
        #expect(set.maxBatchBodyBytes == 2_048)
        #expect(set.server.limits.maxBodyBytes == 8_388_608)
    }

    @Test(arguments: badInputs)
    func invalidValuesNameTheirSource(_ input: BadInput) {
        do {
            _ = try Self.resolver(flags: input.flags, environment: input.environment, file: input.file).resolve()
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains(input.mentions), "\(error.description)")
        }
    }

    /// One pass over a broken deployment: the file's, the environment's and
    /// the flags' mistakes all come back together, one per line, and a good
    /// setting beside them does not hide them.
    @Test func everyBadSettingIsReportedAtOnce() {
        let file = #"{"port": "x", "workers": 0, "host": "0.0.0.0", "bogus": 1, "log_level": true}"#
        let environment = Self.config.merging(["SERVICE_DAEMON_SYNCHRONOUS": "sometimes"]) { $1 }
        do {
            _ = try Self.resolver(flags: ["db": ""], environment: environment, file: file).resolve()
            Issue.record("accepted")
        } catch {
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines.count == 6, "\(lines)")
            let expected = [
                "config file /etc/service-daemon.json: port: must be an integer",
                "config file /etc/service-daemon.json: workers: must be an integer in 1...1024",
                "config file /etc/service-daemon.json: bogus: unknown setting",
                "config file /etc/service-daemon.json: log_level: must be a string or an integer, got a boolean",
                "environment SERVICE_DAEMON_SYNCHRONOUS: must be one of",
                "--db: must not be empty",
            ]
            for fragment in expected {
                #expect(lines.contains { $0.contains(fragment) }, "\(fragment) missing from \(lines)")
            }
        }
    }
}
