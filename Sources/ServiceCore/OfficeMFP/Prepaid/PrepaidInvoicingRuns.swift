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

    /// Contracts a run reads at a time: its memory holds one page's terms
    /// and lines, whatever the estate.
    public static let pageSize = 500

    /// Computes the run a page of contracts at a time (keyset by contract
    /// id), handing each line to `line` and storing it with the run unless
    /// `dryRun`; call it inside a write transaction for a stored run, so its
    /// pages are one consistent snapshot and one commit.
    @discardableResult
    public func run(_ connection: Connection, period: CalendarPeriod, dryRun: Bool, principal: Principal, pageSize: Int = Self.pageSize,
                    line: (PrepaidLine) throws -> Void = { _ in }) throws -> Summary {
        var summary = Summary(id: Identifier.make(dryRun ? "ivd" : "ivr"), period: period.description, dryRun: dryRun, createdAt: Timestamp.now(),
                              totalMinor: 0, currency: currency, lineCount: 0)
        // The run's row first (its lines refer to it); its totals once every page is in.
        if !dryRun { try InvoicingRunStore.insert(connection, summary, principal: principal) }
        var totalMinor = 0
        var lineCount = 0
        var after = ""
        while true {
            let terms = try InvoicingRunStore.terms(connection, period: period, afterContractID: after, limit: pageSize)
            guard let last = terms.last else { break }
            let lines = PrepaidInvoicing.lines(for: period, terms: terms,
                                               billed: try InvoicingRunStore.billed(connection, contractIDs: terms.map(\.contractID)))
            if !dryRun { try InvoicingRunStore.insert(connection, runID: summary.id, lines: lines) }
            for item in lines {
                totalMinor += item.amountMinor
                lineCount += 1
                try line(item)
            }
            guard terms.count == pageSize else { break }
            after = last.contractID
        }
        summary = Summary(id: summary.id, period: summary.period, dryRun: dryRun, createdAt: summary.createdAt, totalMinor: totalMinor,
                          currency: currency, lineCount: lineCount)
        guard !dryRun else { return summary }
        try InvoicingRunStore.setTotals(connection, summary)
        try AuditStore.record(connection, principal: principal, action: "invoicing_run.complete", resourceType: "invoicing_run", resourceID: summary.id,
                              dealerID: nil, detail: .object([("period", .string(summary.period)), ("total_minor", .int(summary.totalMinor))]))
        return summary
    }
}
