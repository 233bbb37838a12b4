import Foundation
import ServiceJSON

/// The prepaid invoicing run for a period ("faktureres via en forskuddsvis
/// sum for en gitt periode"): every contract's prepaid lines for the billing
/// periods of its frequency that overlap the period, and the corrections of
/// periods invoiced before (`PrepaidInvoicing`). Read, computed and stored in
/// one write transaction, so two runs never invoice a contract's period
/// twice however they overlap (the daemon and the cron CLI alike).
public struct PrepaidInvoicingRuns: Sendable {
    public let currency: String

    public init(currency: String) {
        self.currency = currency
    }

    public struct Summary: Sendable, Equatable {
        public let id: String
        /// `2026`, `2026-Q2` or `2026-04`.
        public let period: String
        public let dryRun: Bool
        public let createdAt: String
        public let totalMinor: Int
        public let currency: String
        public let lineCount: Int

        public init(id: String, period: String, dryRun: Bool, createdAt: String, totalMinor: Int, currency: String, lineCount: Int) {
            self.id = id
            self.period = period
            self.dryRun = dryRun
            self.createdAt = createdAt
            self.totalMinor = totalMinor
            self.currency = currency
            self.lineCount = lineCount
        }
    }

    /// The run's lines, stored with the run unless `dryRun`; call it inside
    /// a write transaction for a stored run.
    public func run(_ connection: Connection, period: CalendarPeriod, dryRun: Bool, principal: Principal) throws -> (summary: Summary, lines: [PrepaidLine]) {
        let lines = PrepaidInvoicing.lines(for: period, terms: try InvoicingRunStore.terms(connection, period: period),
                                           billed: try InvoicingRunStore.billed(connection, period: period))
        let summary = Summary(id: Identifier.make(dryRun ? "ivd" : "ivr"), period: period.description, dryRun: dryRun, createdAt: Timestamp.now(),
                              totalMinor: lines.reduce(0) { $0 + $1.amountMinor }, currency: currency, lineCount: lines.count)
        guard !dryRun else { return (summary, lines) }
        try InvoicingRunStore.insert(connection, summary, principal: principal, lines: lines)
        try AuditStore.record(connection, principal: principal, action: "invoicing_run.complete", resourceType: "invoicing_run", resourceID: summary.id,
                              dealerID: nil, detail: .object([("period", .string(summary.period)), ("total_minor", .int(summary.totalMinor))]))
        return (summary, lines)
    }
}
