import Logging
import ServiceCore
import ServiceHTTP

/// The daemon assembled: database (migrated), routes, HTTP server (over TLS
/// when `tls_cert` and `tls_key` are set). `serve` runs one; the end-to-end
/// tests run one in-process on a free port.
final class DaemonApplication: Sendable {
    let configuration: DaemonConfiguration
    let database: DatabasePool
    let server: HTTPServer
    let tls: TLSContext?
    /// Nil unless `metrics_port` is set.
    let metrics: DaemonMetrics?
    /// The loopback listener for `GET /metrics`, apart from the public one.
    let metricsServer: HTTPServer?
    let logger: Logger
    /// Delivers the event outbox to webhook endpoints, on threads of its own.
    let webhookSender: WebhookSender
    /// Raises response deadlines that pass unanswered, on a thread of its own.
    let deadlineWatcher: DeadlineWatcher
    /// Event-feed long polls, answered at once when shutting down.
    let feedWaiters: FeedWaiters
    /// Every route served, for the check that the OpenAPI document names each one.
    let routes: [(method: HTTPMethod, template: String, query: Set<String>, placement: RoutePlacement)]

    init(configuration: DaemonConfiguration, logger: Logger, accessLog: any AccessLogSink) throws {
        self.configuration = configuration
        self.logger = logger
        // Before the server's threads exist: arenas are created per thread.
        Allocator.configure(arenas: configuration.mallocArenaMax)
        let cataloguePath = try CatalogueLocation.resolve(configuration.cataloguePath)
        logger.info("starting", metadata: [
            "database": .string(absolutePath(configuration.databasePath)), "catalogue": .string(cataloguePath),
        ])
        let catalogue = try CatalogueLoader.load(path: cataloguePath)
        try configuration.server.validate()
        if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
            let tls = try TLSContext(certificatePath: certificate, keyPath: key)
            Self.log(tls.certificate, "TLS certificate loaded", path: certificate, logger: logger)
            self.tls = tls
        } else {
            tls = nil
        }
        let metrics = configuration.metricsPort == nil ? nil : DaemonMetrics()
        self.metrics = metrics
        var onWait: (@Sendable (DatabasePool.Access, UInt64) -> Void)?
        if let metrics { onWait = { metrics.poolWaited($0, nanoseconds: $1) } }
        database = try DatabasePool(configuration: configuration.database, onWait: onWait)
        let migrator = try Migrator(migrations: Schema.migrations)
        let applied = try migrator.migrate(database)
        if !applied.isEmpty {
            logger.info("migrated", metadata: ["applied": .array(applied.map { .stringConvertible($0) })])
        }
        var router = Router(middleware: [RequestIDMiddleware(), AccessLogMiddleware(sink: accessLog)] + (metrics.map { [$0.http] } ?? []),
                            maxBodyBytes: configuration.maxBodyBytes)
        HealthRoutes(database: database, migrator: migrator).register(on: &router)
        OpenAPIRoute(catalogue: catalogue).register(on: &router)
        let commits = CommitSignal()
        let api = API(database: database, catalogue: catalogue, maxBatchBodyBytes: configuration.maxBatchBodyBytes, logger: logger,
                      metrics: metrics, webhooks: configuration.webhooks, commits: commits)
        webhookSender = WebhookSender(database: database, settings: configuration.webhooks, signal: commits, logger: logger)
        deadlineWatcher = DeadlineWatcher(api: api, logger: logger)
        feedWaiters = api.feedWaiters
        // A run whose process died must not block its year until someone runs it again.
        try api.billing.removeOrphans()
        try api.billing.verifyBilledPrices()
        router.group("/v1", middleware: [Authentication(database: database, keys: api.keys)]) { group in
            CatalogueRoutes(api: api).register(on: &group)
            DealerRoutes(api: api).register(on: &group)
            CustomerRoutes(api: api).register(on: &group)
            DeviceRoutes(api: api).register(on: &group)
            ContractRoutes(api: api).register(on: &group)
            CalendarRoutes(api: api).register(on: &group)
            ServiceRequestRoutes(api: api).register(on: &group)
            MeterRoutes(api: api).register(on: &group)
            MeterCorrectionRoutes(api: api).register(on: &group)
            DMSRoutes(api: api).register(on: &group)
            ConsumableOrderRoutes(api: api).register(on: &group)
            BillingRoutes(api: api).register(on: &group)
            InvoicingRoutes(api: api).register(on: &group)
            WorkOrderRoutes(api: api).register(on: &group)
            CPSRoutes(api: api).register(on: &group)
            IPFTechnicianRoutes(api: api).register(on: &group)
            IPFAuthorisationRoutes(api: api).register(on: &group)
            IPFRegistrationRoutes(api: api).register(on: &group)
            IPFClaimRoutes(api: api).register(on: &group)
            IPFOrderRoutes(api: api).register(on: &group)
            IPFSupportCaseRoutes(api: api).register(on: &group)
            EventRoutes(api: api).register(on: &group)
            WebhookRoutes(api: api).register(on: &group)
        }
        routes = router.registeredRoutes
        let server = HTTPServer(configuration: configuration.server, responder: router.buildResponder(logger: logger), logger: logger, tls: tls)
        self.server = server
        let database = self.database
        metricsServer = metrics.map { MetricsEndpoint(metrics: $0, server: server, database: database).server(configuration, logger: logger) }
    }

    /// SIGHUP: reads the TLS files again. New connections get the new
    /// certificate, open ones keep theirs; a bad file is logged and the
    /// certificate in use is kept.
    func reloadCertificate() {
        guard let tls else {
            logger.notice("SIGHUP: nothing to reload (TLS is off)")
            return
        }
        do {
            Self.log(try tls.reload(), "TLS certificate reloaded", path: tls.certificatePath, logger: logger)
        } catch {
            logger.error("TLS certificate reload failed; keeping the one in use", metadata: ["error": .string(error.description)])
        }
    }

    private static func log(_ certificate: TLSContext.Certificate, _ message: Logger.Message, path: String, logger: Logger) {
        let metadata: Logger.Metadata = [
            "path": .string(path), "subject": .string(certificate.subject), "not_after": .string(certificate.notAfter),
        ]
        if certificate.isExpired {
            logger.warning("\(message); it has expired", metadata: metadata)
        } else {
            logger.notice(message, metadata: metadata)
        }
    }

    func start() throws {
        try server.start()
        do {
            try metricsServer?.start()
        } catch {
            server.shutdown()
            server.waitUntilStopped()
            throw error
        }
        webhookSender.start()
        deadlineWatcher.start()
    }

    var port: Int? { server.port }
    var metricsPort: Int? { metricsServer?.port }

    func beginShutdown() {
        feedWaiters.stop()
        server.shutdown()
        metricsServer?.shutdown()
    }

    /// Returns once the servers have stopped and the WAL is folded into the
    /// database: a clean stop leaves no `-wal` content behind.
    func waitUntilStopped() {
        server.waitUntilStopped()
        metricsServer?.waitUntilStopped()
        deadlineWatcher.stop()
        webhookSender.stop()
        do {
            if try !database.checkpoint() {
                logger.warning("WAL checkpoint incomplete: another process is reading the database")
            }
        } catch {
            logger.error("WAL checkpoint failed", metadata: ["error": .string("\(error)")])
        }
    }
}
