import Logging
import ServiceCore
import ServiceHTTP

/// The daemon assembled: database (migrated), routes, HTTP server. `serve`
/// runs one; the end-to-end tests run one in-process on a free port.
final class DaemonApplication: Sendable {
    let configuration: DaemonConfiguration
    let database: DatabasePool
    let server: HTTPServer
    let logger: Logger

    init(configuration: DaemonConfiguration, logger: Logger, accessLog: any AccessLogSink) throws {
        self.configuration = configuration
        self.logger = logger
        let cataloguePath = try CatalogueLocation.resolve(configuration.cataloguePath)
        logger.info("starting", metadata: [
            "database": .string(absolutePath(configuration.databasePath)), "catalogue": .string(cataloguePath),
        ])
        let catalogue = try CatalogueLoader.load(path: cataloguePath)
        try configuration.server.validate()
        database = try DatabasePool(configuration: configuration.database)
        let migrator = try Migrator(migrations: Schema.migrations)
        let applied = try migrator.migrate(database)
        if !applied.isEmpty {
            logger.info("migrated", metadata: ["applied": .array(applied.map { .stringConvertible($0) })])
        }
        var router = Router(middleware: [RequestIDMiddleware(), AccessLogMiddleware(sink: accessLog)],
                            maxBodyBytes: configuration.maxBodyBytes)
        HealthRoutes(database: database, migrator: migrator).register(on: &router)
        let api = API(database: database, catalogue: catalogue, maxBatchBodyBytes: configuration.maxBatchBodyBytes, logger: logger)
        // A run whose process died must not block its year until someone runs it again.
        try api.billing.removeOrphans()
        router.group("/v1", middleware: [Authentication(database: database)]) { group in
            CatalogueRoutes(api: api).register(on: &group)
            DealerRoutes(api: api).register(on: &group)
            CustomerRoutes(api: api).register(on: &group)
            DeviceRoutes(api: api).register(on: &group)
            ContractRoutes(api: api).register(on: &group)
            CalendarRoutes(api: api).register(on: &group)
            ServiceRequestRoutes(api: api).register(on: &group)
            MeterRoutes(api: api).register(on: &group)
            DMSRoutes(api: api).register(on: &group)
            ConsumableOrderRoutes(api: api).register(on: &group)
            BillingRoutes(api: api).register(on: &group)
            IPFTechnicianRoutes(api: api).register(on: &group)
            IPFAuthorisationRoutes(api: api).register(on: &group)
            IPFRegistrationRoutes(api: api).register(on: &group)
        }
        server = HTTPServer(configuration: configuration.server, responder: router.buildResponder(logger: logger), logger: logger)
    }

    func start() throws { try server.start() }
    var port: Int? { server.port }
    func beginShutdown() { server.shutdown() }

    /// Returns once the server has stopped and the WAL is folded into the
    /// database: a clean stop leaves no `-wal` content behind.
    func waitUntilStopped() {
        server.waitUntilStopped()
        do {
            if try !database.checkpoint() {
                logger.warning("WAL checkpoint incomplete: another process is reading the database")
            }
        } catch {
            logger.error("WAL checkpoint failed", metadata: ["error": .string("\(error)")])
        }
    }
}
