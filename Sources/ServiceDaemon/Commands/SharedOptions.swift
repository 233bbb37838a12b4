import ArgumentParser
import Foundation

/// Options every command that touches the database shares.
struct SharedOptions: ParsableArguments {
    @Option(help: "SQLite database file, relative to the working directory (default: data/service.db). Only serve and migrate create it.")
    var db: String?

    @Option(help: "JSON configuration file (flat object of settings).")
    var config: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    var flags: [String: String] {
        var flags: [String: String] = [:]
        flags["db"] = db
        flags["config"] = config
        flags["log_level"] = logLevel
        return flags
    }

    /// Resolves all layers, or prints the reason and exits with EX_CONFIG.
    func resolve(extraFlags: [String: String] = [:]) throws -> DaemonConfiguration {
        let resolver = ConfigurationResolver(
            flags: flags.merging(extraFlags) { _, new in new },
            environment: ProcessInfo.processInfo.environment
        )
        do {
            return try resolver.resolve()
        } catch {
            CommandFailure.report("configuration error: \(error)")
            throw ExitCode(78)
        }
    }
}

/// `--catalogue`, for the commands that read the catalogue.
struct CatalogueOption: ParsableArguments {
    @Option(help: "Catalogue JSON (default: the one installed with the binary, PREFIX/share/service-daemon/packages.json).")
    var catalogue: String?

    var flags: [String: String] { catalogue.map { ["catalogue": $0] } ?? [:] }
}

enum CommandFailure {
    /// Operator-facing errors go to stderr as plain text: the JSON log may
    /// not be set up yet, and a person is reading.
    static func report(_ message: String) {
        FileHandle.standardError.write(Data("service-daemon: \(message)\n".utf8))
    }
}
