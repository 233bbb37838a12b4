import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Prepaid invoicing runs: the sum each contract prepays, invoiced in
/// advance per billing period, with the same dry run, CSV and adjustment
/// behaviour as the billing runs.
struct InvoicingRoutes {
    let api: API

    var runs: PrepaidInvoicingRuns { PrepaidInvoicingRuns(currency: api.catalogue.currency) }

    func register(on group: inout RouteGroup) {
        group.post("/invoicing-runs") { request in
            _ = try request.principal(.admin, .billing)
            let (period, dryRun) = try request.decode { body -> (CalendarPeriod, Bool)? in
                let text = body.string("period")
                let period = text.flatMap { CalendarPeriod($0) }
                if text != nil, period == nil { body.issues.add("period", Self.periodRule) }
                // Required: a run that stores lines must never be what a forgotten member means.
                let dryRun = body.bool("dry_run")
                guard let period, let dryRun else { return nil }
                return (period, dryRun)
            }
            let csv = request.headers["Accept"]?.lowercased().contains("text/csv") == true
            guard !dryRun else {
                // Read-only, but its Idempotency-Key is checked and kept like any POST's.
                return try api.idempotent(request) { principal in
                    let (summary, lines) = try api.read { try runs.run($0, period: period, dryRun: true, principal: principal) }
                    if csv { return Self.csv(lines) }
                    // As a billing dry run's: the totals, and the lines up to a bound whatever the estate (CSV has them all).
                    return APIResponse.json(.ok, .object(Self.summaryMembers(summary) + [
                        ("lines", .array(lines.prefix(BillingRoutes.dryRunLineLimit).map { $0.json() })),
                        ("lines_truncated", .bool(lines.count > BillingRoutes.dryRunLineLimit)),
                    ]))
                }
            }
            return try api.write(request) { connection, principal in
                let (summary, _) = try runs.run(connection, period: period, dryRun: false, principal: principal)
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
            let csv = request.headers["Accept"]?.lowercased().contains("text/csv") == true
            return try api.read { connection in
                guard try InvoicingRunStore.run(connection, id: id) != nil else { throw APIProblem.notFound("invoicing run", id) }
                // A run holds a line per contract and period at most: CSV answers them all at once.
                if csv { return Self.csv(try InvoicingRunStore.lines(connection, runID: id, scope: principal.dealerScope, afterID: 0, limit: -1).map(\.line)) }
                let rows = try InvoicingRunStore.lines(connection, runID: id, scope: principal.dealerScope, afterID: after, limit: limit + 1)
                let items = Array(rows.prefix(limit))
                return APIResponse.json(.ok, .object([
                    ("items", .array(items.map { $0.line.json(id: $0.id) })),
                    ("next_cursor", rows.count > limit ? .string(Cursor.encode(String(items.last!.id))) : .null),
                ]))
            }
        }
    }

    static let periodRule = "must be a year (2026), a quarter (2026-Q2) or a month (2026-04), from 2000 to 2100"

    private static func csv(_ lines: [PrepaidLine]) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "text/csv; charset=utf-8")
        return HTTPResponse(status: .ok, headers: headers, body: .bytes(Array((PrepaidLine.csvHeader + lines.map { $0.csvRow() }.joined()).utf8)))
    }

    static func summaryMembers(_ summary: PrepaidInvoicingRuns.Summary) -> [(String, JSONValue)] {
        [
            ("id", .string(summary.id)), ("period", .string(summary.period)), ("dry_run", .bool(summary.dryRun)),
            ("created_at", .string(summary.createdAt)), ("total_minor", .int(summary.totalMinor)), ("currency", .string(summary.currency)),
            ("line_count", .int(summary.lineCount)),
        ]
    }
}
