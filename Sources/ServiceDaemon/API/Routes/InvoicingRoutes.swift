import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Prepaid invoicing runs: the sum each contract prepays, invoiced in
/// advance per billing period, with the same dry run, CSV and adjustment
/// behaviour as the billing runs.
struct InvoicingRoutes {
    let api: API

    var runs: PrepaidInvoicingRuns { PrepaidInvoicingRuns(currency: api.catalogue.currency) }

    private func runParameters(_ body: ObjectReader) -> (CalendarPeriod, Bool)? {
        let text = body.string("period")
        let period = text.flatMap { CalendarPeriod($0) }
        if text != nil, period == nil { body.issues.add("period", Self.periodRule) }
        // Required: a run that stores lines must never be what a forgotten member means.
        let dryRun = body.bool("dry_run")
        guard let period, let dryRun else { return nil }
        return (period, dryRun)
    }

    func register(on group: inout RouteGroup) {
        group.post("/invoicing-runs") { request in
            _ = try request.principal(.admin, .billing)
            let (period, dryRun) = try request.decode(runParameters)
            guard !dryRun else {
                // Read-only, but its Idempotency-Key is checked and kept like any POST's (a streamed CSV answer is not kept).
                return try api.idempotent(request) { principal in
                    if request.acceptsCSV { return streamedDryRun(period: period, principal: principal) }
                    // As a billing dry run's: the totals, and the lines up to a bound whatever the estate (CSV has them all).
                    var lines: [JSONValue] = []
                    let summary = try api.read { connection in
                        try runs.run(connection, period: period, dryRun: true, principal: principal) { line in
                            if lines.count < BillingRoutes.dryRunLineLimit { lines.append(line.json()) }
                        }
                    }
                    return APIResponse.json(.ok, .object(Self.summaryMembers(summary) + [
                        ("lines", .array(lines)), ("lines_truncated", .bool(summary.lineCount > lines.count)),
                    ]))
                }
            }
            return try api.write(request) { connection, principal in
                let summary = try runs.run(connection, period: period, dryRun: false, principal: principal)
                return APIResponse.json(.created, .object(Self.summaryMembers(summary)), location: "/v1/invoicing-runs/\(summary.id)")
            }
        }
        group.get("/invoicing-runs/{id}") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let id = try request.parameters.require("id")
            return try api.read { connection in
                guard let run = try InvoicingRunStore.run(connection, id: id) else { throw APIProblem.notFound("invoicing run", id) }
                let totals = try InvoicingRunStore.totals(connection, runID: id, scope: principal.dealerScope)
                return APIResponse.json(.ok, .object(Self.summaryMembers(PrepaidInvoicingRuns.Summary(
                    id: run.id, period: run.period, dryRun: false, createdAt: run.createdAt, totalMinor: totals.total, currency: run.currency,
                    lineCount: totals.lines
                ))))
            }
        }
        group.get("/invoicing-runs/{id}/lines?limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let id = try request.parameters.require("id")
            let (limit, after) = try request.numberedPageRequest()
            let scope = principal.dealerScope
            guard try api.read({ try InvoicingRunStore.run($0, id: id) }) != nil else { throw APIProblem.notFound("invoicing run", id) }
            if request.acceptsCSV {
                return CSVStream.pages(header: PrepaidLine.csvHeader, api.database,
                                       read: { try InvoicingRunStore.lines($0, runID: id, scope: scope, afterID: $1, limit: $2) },
                                       id: \.id, row: { $0.line.csvRow() })
            }
            let rows = try api.read { try InvoicingRunStore.lines($0, runID: id, scope: scope, afterID: after, limit: limit + 1) }
            return APIResponse.numberedPage(rows, limit: limit, id: \.id) { $0.line.json(id: $0.id) }
        }
    }

    /// Every line of a dry run as CSV, written while the run computes them a
    /// page of contracts at a time: memory stays flat whatever the estate.
    private func streamedDryRun(period: CalendarPeriod, principal: Principal) -> HTTPResponse {
        let (database, runs) = (api.database, runs)
        return CSVStream.response(header: PrepaidLine.csvHeader) { emit in
            try database.read { connection in
                _ = try runs.run(connection, period: period, dryRun: true, principal: principal) { try emit($0.csvRow()) }
            }
        }
    }

    static let periodRule = "must be a year (2026), a quarter (2026-Q2) or a month (2026-04), from 2000 to 2100"

    static func summaryMembers(_ summary: PrepaidInvoicingRuns.Summary) -> [(String, JSONValue)] {
        [
            ("id", .string(summary.id)), ("period", .string(summary.period)), ("dry_run", .bool(summary.dryRun)),
            ("created_at", .string(summary.createdAt)), ("total_minor", .int(summary.totalMinor)), ("currency", .string(summary.currency)),
            ("line_count", .int(summary.lineCount)),
        ]
    }
}
