import ServiceJSON
import ServiceCore
import ServiceHTTP

/// Liveness and readiness for orchestrators and load balancers.
struct HealthRoutes {
    let database: DatabasePool
    let migrator: Migrator

    func register(on router: inout Router) {
        // Alive means the loops answer: no database, so it runs inline.
        router.get("/healthz", placement: .eventLoop) { _ in
            .json(.ok, #"{"status":"ok"}"#)
        }
        router.get("/readyz") { [database, migrator] _ in
            let status: MigrationStatus
            do {
                status = try database.read { try migrator.status($0) }
            } catch {
                throw Problem(.serviceUnavailable, detail: "database unavailable: \(error)")
            }
            guard status.pending.isEmpty else {
                throw Problem(.serviceUnavailable, detail: "schema version \(status.current), expected \(status.latest)")
            }
            let body = JSONValue.object([
                ("status", .string("ready")),
                ("schema_version", .int(status.current)),
            ])
            return .json(.ok, body.encoded())
        }
    }
}
