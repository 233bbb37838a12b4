import ServiceCore
import ServiceHTTP

/// The webhook settings (`webhook_*`), as the routes and the sender use them.
struct WebhookSettings: Sendable {
    var retry = WebhookRetrySchedule()
    var policy = OutboundPolicy(allowInsecure: false)
    /// Endpoints delivered to at once, each over its own connection.
    var concurrency = 4
    /// A 2xx within this acknowledges a delivery.
    var timeoutMilliseconds = 10_000
    /// How often the sender looks for work when no write rang.
    var pollMilliseconds = 1_000
    /// Trust only these CA certificates for https endpoints (tests); nil: the system's.
    var caFile: String?
}
