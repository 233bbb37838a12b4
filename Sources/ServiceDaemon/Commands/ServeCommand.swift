import ArgumentParser
import Dispatch
import Foundation
import Logging
import ServiceHTTP

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Apply pending migrations, then serve the REST API until SIGTERM or SIGINT.",
        discussion: "With tls_cert and tls_key set, the API is served over HTTPS only; SIGHUP reloads both files."
    )

    @Option(help: "Address to listen on (default: 127.0.0.1; \"::\" for all IPv6 and IPv4).")
    var host: String?

    @Option(help: "TCP port (default: 8080; 0 picks a free port, reported in the log).")
    var port: String?

    @Option(name: .customLong("metrics-port"), help: "Serve GET /metrics on 127.0.0.1 at this port (default: no metrics; 0 picks a free port).")
    var metricsPort: String?

    @OptionGroup var catalogue: CatalogueOption
    @OptionGroup var shared: SharedOptions

    func run() throws {
        // Before anything else, while this is the only thread: see SignalWatcher.
        let signals = SignalWatcher(signals: [SIGTERM, SIGINT], each: [SIGHUP])
        var extra = catalogue.flags
        extra["host"] = host
        extra["port"] = port
        extra["metrics_port"] = metricsPort
        let configuration = try shared.resolve(extraFlags: extra)
        let logging = DaemonLogging.bootstrap(level: configuration.logLevel)
        let logger = Logger(label: "service-daemon")
        defer { logging.flush() }

        let application: DaemonApplication
        do {
            application = try DaemonApplication(configuration: configuration, logger: logger, accessLog: logging.accessLog)
            try application.start()
        } catch {
            logger.critical("start-up failed", metadata: ["error": .string("\(error)")])
            logging.flush()
            throw CommandFailure.exit(error)
        }

        signals.onSignal { signal in
            logger.info("shutting down", metadata: ["signal": .stringConvertible(signal)])
            application.beginShutdown()
        }
        signals.onEach { _ in application.reloadCertificate() }
        application.waitUntilStopped()
    }
}
