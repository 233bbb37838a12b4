import CoreMetrics
import Foundation
import Prometheus
import ServiceCore
import ServiceHTTP

/// The daemon's metrics, recorded through swift-metrics into a Prometheus
/// registry of its own (one per application, so in-process test servers do
/// not share series) and rendered in Prometheus text format for the metrics
/// listener. Exists only when `metrics_port` is set: with metrics off,
/// nothing is counted.
///
/// Counted as it happens: requests (`MetricsMiddleware`), waits for a
/// database connection, meter readings stored, billing runs made by this
/// process. Read when scraped: open connections, SLA breaches open, and the
/// latest completed billing run in the database, which cron's CLI runs make.
final class DaemonMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    let http: MetricsMiddleware

    private let readingsIngested: CoreMetrics.Counter
    private let poolWaits: [DatabasePool.Access: CoreMetrics.Counter]
    private let poolWaitDuration: [DatabasePool.Access: CoreMetrics.Timer]
    private let billingRunDuration: [Bool: CoreMetrics.Timer]
    private let billingRunLines: [Bool: CoreMetrics.Counter]
    private let openConnections: Meter
    private let slaBreachesOpen: Meter
    private let lastRunDuration: Meter
    private let lastRunLines: Meter
    private let lastRunCompleted: Meter

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        let fast: [Duration] = [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2_500),
                                .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                .milliseconds(250), .milliseconds(500), .seconds(1), .microseconds(2_500_000), .seconds(5), .seconds(10)]
        factory.durationHistogramBuckets = [
            MetricsMiddleware.duration: fast,
            "db_pool_wait_seconds": fast,
            "billing_run_duration_seconds": [.milliseconds(100), .seconds(1), .seconds(10), .seconds(60), .seconds(300), .seconds(900), .seconds(3_600)],
        ]
        self.factory = factory
        http = MetricsMiddleware(factory: factory)
        readingsIngested = Counter(label: "meter_readings_ingested_total", dimensions: [], factory: factory)
        var poolWaits: [DatabasePool.Access: CoreMetrics.Counter] = [:]
        var poolWaitDuration: [DatabasePool.Access: CoreMetrics.Timer] = [:]
        for access in DatabasePool.Access.allCases {
            poolWaits[access] = Counter(label: "db_pool_waits_total", dimensions: [("access", access.rawValue)], factory: factory)
            poolWaitDuration[access] = Timer(label: "db_pool_wait_seconds", dimensions: [("access", access.rawValue)], factory: factory)
        }
        self.poolWaits = poolWaits
        self.poolWaitDuration = poolWaitDuration
        var billingRunDuration: [Bool: CoreMetrics.Timer] = [:]
        var billingRunLines: [Bool: CoreMetrics.Counter] = [:]
        for dryRun in [false, true] {
            billingRunDuration[dryRun] = Timer(label: "billing_run_duration_seconds", dimensions: [("dry_run", "\(dryRun)")], factory: factory)
            billingRunLines[dryRun] = Counter(label: "billing_run_lines_total", dimensions: [("dry_run", "\(dryRun)")], factory: factory)
        }
        self.billingRunDuration = billingRunDuration
        self.billingRunLines = billingRunLines
        openConnections = Meter(label: "http_connections_open", dimensions: [], factory: factory)
        slaBreachesOpen = Meter(label: "sla_breaches_open", dimensions: [], factory: factory)
        lastRunDuration = Meter(label: "billing_last_run_duration_seconds", dimensions: [], factory: factory)
        lastRunLines = Meter(label: "billing_last_run_lines", dimensions: [], factory: factory)
        lastRunCompleted = Meter(label: "billing_last_run_completed_timestamp_seconds", dimensions: [], factory: factory)
    }

    /// For `DatabasePool(onWait:)`.
    func poolWaited(_ access: DatabasePool.Access, nanoseconds: UInt64) {
        poolWaits[access]?.increment()
        poolWaitDuration[access]?.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    func readingsStored(_ count: Int) {
        if count > 0 { readingsIngested.increment(by: count) }
    }

    /// Times a billing run of this process, counting its lines.
    func billingRun(dryRun: Bool, _ run: () throws -> BillingRunner.Summary) rethrows -> BillingRunner.Summary {
        let started = ContinuousClock.now
        let summary = try run()
        billingRunDuration[dryRun]?.recordNanoseconds(Self.nanoseconds(ContinuousClock.now - started))
        billingRunLines[dryRun]?.increment(by: summary.lineCount)
        return summary
    }

    /// The text a scrape gets, with the gauges read now.
    func scrape(server: HTTPServer, database: DatabasePool) throws -> [UInt8] {
        openConnections.set(server.openConnections)
        let (breaches, lastRun) = try database.read { connection in
            (try ServiceRequestStore.overdueCount(connection, at: Date()), try BillingRunStore.lastCompleted(connection))
        }
        slaBreachesOpen.set(breaches)
        if let lastRun {
            lastRunDuration.set(lastRun.completed.timeIntervalSince(lastRun.started))
            lastRunLines.set(lastRun.lines)
            lastRunCompleted.set(lastRun.completed.timeIntervalSince1970)
        }
        return registry.emitToBuffer()
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
