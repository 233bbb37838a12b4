import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

struct BillingRoutes {
    let api: API
    /// Lines in a dry run's JSON answer, at most.
    static let dryRunLineLimit = 1_000

    func register(on group: inout RouteGroup) {
        group.post("/billing-runs") { request in
            let principal = try request.principal(.admin, .billing)
            let (year, dryRun, maxLines) = try request.decode(runParameters)
            if dryRun, request.acceptsCSV {
                // The stream holds every line; a limit would be silently ignored.
                if maxLines != nil {
                    throw APIProblem.validation(ValidationFailure([ValidationIssue(field: "max_lines", message: "applies to the JSON answer, not to CSV")]))
                }
                return streamedDryRun(api.billing, year: year, principal: principal)
            }
            return try api.idempotent(request) { principal in
                // A dry run's answer holds its totals and at most `maxLines`
                // lines, so its size does not grow with the estate; every line
                // is in the streamed CSV.
                var lines: [JSONValue] = []
                let summary = try run(year: year, dryRun: dryRun, principal: principal) { item in
                    if dryRun, lines.count < maxLines ?? Self.dryRunLineLimit { lines.append(item.line.json(adjustment: item.adjustment)) }
                }
                return present(summary, dryRunLines: dryRun ? lines : nil)
            }
        }
        group.get("/billing-runs?year&limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            let year = try request.query["year"].map { text -> Int in
                guard let year = Int(text), BillingRunner.years.contains(year) else {
                    throw APIProblem.invalid("year", "must be a year between \(BillingRunner.years.lowerBound) and \(BillingRunner.years.upperBound)")
                }
                return year
            }
            // Summaries only: a run's totals per customer are on its own
            // resource, so a page's size does not grow with the estate.
            let runs = try api.read { connection in
                let runs = try BillingRunStore.runs(connection, page: page, year: year)
                guard let dealer = principal.dealerScope else { return runs }
                let totals = try BillingRunStore.dealerTotals(connection, runIDs: runs.items.map(\.id), dealerID: dealer)
                return runs.map { $0.scoped(total: totals[$0.id]?.total ?? 0, lines: totals[$0.id]?.lines ?? 0) }
            }
            return APIResponse.page(runs) { .object(summaryMembers($0)) }
        }
        group.get("/billing-runs/{id}") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let id = try request.parameters.require("id")
            return try api.read { connection in
                guard let run = try BillingRunStore.run(connection, id: id) else { throw APIProblem.notFound("billing run", id) }
                let totals = try BillingRunStore.scopedTotals(connection, run: run, scope: principal.dealerScope)
                return APIResponse.json(.ok, .object(summaryMembers(run.scoped(total: totals.totalMinor, lines: totals.lines)) + [
                    ("customer_count", .int(totals.customers)),
                ]))
            }
        }
        // A national run's totals per customer (50 000 of them) are a list,
        // paged in customer id order, one statement a page; a dealer's key
        // pages its own customers'.
        group.get("/billing-runs/{id}/customers?limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let id = try request.parameters.require("id")
            let page = try request.pageRequest()
            let customers = try api.read { connection in
                guard try BillingRunStore.run(connection, id: id) != nil else { throw APIProblem.notFound("billing run", id) }
                return try BillingRunStore.customerTotals(connection, runID: id, scope: principal.dealerScope, page: page)
            }
            return APIResponse.page(customers) { .object([
                ("customer_id", .string($0.customerID)), ("dealer_id", .string($0.dealerID)),
                ("total_minor", .int($0.totalMinor)), ("line_count", .int($0.lineCount)),
            ]) }
        }
        group.get("/billing-runs/{id}/lines?limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let id = try request.parameters.require("id")
            guard try api.read({ try BillingRunStore.run($0, id: id) }) != nil else { throw APIProblem.notFound("billing run", id) }
            let scope = principal.dealerScope
            if request.acceptsCSV {
                // Streamed page by page: a year's lines need not fit in memory.
                return CSVStream.pages(header: BillingLine.csvHeader, api.database,
                                       read: { try BillingRunStore.lines($0, runID: id, scope: scope, afterID: $1, limit: $2) },
                                       id: \.id, row: { $0.line.csvRow(adjustment: $0.adjustment) })
            }
            let (limit, after) = try request.numberedPageRequest()
            let rows = try api.read { try BillingRunStore.lines($0, runID: id, scope: scope, afterID: after, limit: limit + 1) }
            return APIResponse.numberedPage(rows, limit: limit, id: \.id) { $1.line.write(to: &$0, adjustment: $1.adjustment, id: $1.id) }
        }
    }

    private func runParameters(_ body: ObjectReader) -> (Int, Bool, Int?)? {
        let year = body.int("year", range: BillingRunner.years)
        // Required: a run that stores lines must never be what a forgotten member means.
        let dryRun = body.bool("dry_run")
        let maxLines = body.int("max_lines", required: false, range: 0...Self.dryRunLineLimit)
        if maxLines != nil && dryRun == false { body.issues.add("max_lines", "applies to dry runs only") }
        guard let year, let dryRun else { return nil }
        return (year, dryRun, maxLines)
    }

    /// The run, timed; a run already in progress is a conflict.
    private func run(year: Int, dryRun: Bool, principal: Principal, emit: (BillingRunner.RunLine) throws -> Void) throws -> BillingRunner.Summary {
        do {
            return try api.timedBillingRun(dryRun: dryRun) {
                try api.billing.run(year: year, dryRun: dryRun, principal: principal, totalsPerCustomer: true, emit: emit)
            }
        } catch let failure as BillingRunner.Failure {
            if case .alreadyRunning = failure { throw APIProblem.conflict(failure.description) }
            throw Problem(.internalServerError, detail: failure.description)
        }
    }

    /// A stored run is its summary; a dry run, with nothing stored to page
    /// through, answers its totals per customer and its first lines too.
    private func present(_ summary: BillingRunner.Summary, dryRunLines lines: [JSONValue]?) -> HTTPResponse {
        guard let lines else {
            return APIResponse.json(.created, .object(summaryMembers(summary) + [("customer_count", .int(summary.byCustomer.count))]),
                                    location: "/v1/billing-runs/\(summary.id)")
        }
        let byCustomer = summary.byCustomer.map { JSONValue.object([("customer_id", .string($0.customerID)), ("total_minor", .int($0.totalMinor))]) }
        return APIResponse.json(.ok, .object(summaryMembers(summary) + [
            ("totals_by_customer", .array(byCustomer)), ("lines", .array(lines)), ("lines_truncated", .bool(summary.lineCount > lines.count)),
        ]))
    }

    /// Every line of a dry run as CSV, written while the run computes them:
    /// nothing is kept, so memory stays flat whatever the estate. Not
    /// idempotent-stored; a dry run changes nothing, so repeating it is safe.
    /// A run that fails part-way ends the stream without its last chunk.
    private func streamedDryRun(_ runner: BillingRunner, year: Int, principal: Principal) -> HTTPResponse {
        CSVStream.response(header: BillingLine.csvHeader) { emit in
            _ = try api.timedBillingRun(dryRun: true) {
                try runner.run(year: year, dryRun: true, principal: principal) { item in
                    try emit(item.line.csvRow(adjustment: item.adjustment))
                }
            }
        }
    }

    private func summaryMembers(_ summary: BillingRunner.Summary) -> [(String, JSONValue)] {
        [
            ("id", .string(summary.id)), ("year", .int(summary.year)), ("dry_run", .bool(summary.dryRun)), ("status", .string(summary.status)),
            ("created_at", .string(summary.createdAt)), ("total_minor", .int(summary.totalMinor)), ("currency", .string(summary.currency)),
            ("line_count", .int(summary.lineCount)),
        ]
    }
}
