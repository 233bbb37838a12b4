import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

struct BillingRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/billing-runs") { request in
            _ = try request.principal(.admin, .billing)
            let (year, dryRun) = try request.decode { body -> (Int, Bool)? in
                let year = body.int("year", range: 2000...2100)
                let dryRun = body.bool("dry_run", required: false) ?? false
                return year.map { ($0, dryRun) }
            }
            return try api.idempotent(request) { principal in
                let runner = BillingRunner(database: api.database, catalogue: api.catalogue)
                var lines: [JSONValue] = []
                let summary: BillingRunner.Summary
                do {
                    summary = try runner.run(year: year, dryRun: dryRun, principal: principal) { item in
                        if dryRun { lines.append(item.line.json(adjustment: item.adjustment)) }
                    }
                } catch let failure as BillingRunner.Failure {
                    if case .alreadyRunning = failure { throw APIProblem.conflict(failure.description) }
                    throw Problem(.internalServerError, detail: failure.description)
                }
                if dryRun {
                    return APIResponse.json(.ok, .object(summaryMembers(summary, byCustomer: nil) + [("lines", .array(lines))]))
                }
                let totals = try api.read { try BillingRunStore.totals($0, runID: summary.id, scope: nil) }
                return APIResponse.json(.created, .object(summaryMembers(summary, byCustomer: totals.byCustomer)),
                                        location: "/v1/billing-runs/\(summary.id)")
            }
        }
        group.get("/billing-runs") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            let year = try request.query["year"].map { text -> Int in
                guard let year = Int(text) else { throw APIProblem.invalid("year", "must be a year") }
                return year
            }
            return try api.read { connection in
                let runs = try BillingRunStore.runs(connection, page: page, year: year)
                let items = try runs.items.map { try present(connection, $0, scope: principal.dealerScope) }
                return APIResponse.json(.ok, .object([("items", .array(items)), ("next_cursor", runs.nextAfter.map { .string(Cursor.encode($0)) } ?? .null)]))
            }
        }
        group.get("/billing-runs/{id}") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let id = try request.parameters.require("id")
            return try api.read { connection in
                guard let run = try BillingRunStore.run(connection, id: id) else { throw APIProblem.notFound("billing run", id) }
                return APIResponse.json(.ok, try present(connection, run, scope: principal.dealerScope))
            }
        }
        group.get("/billing-runs/{id}/lines") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let id = try request.parameters.require("id")
            guard try api.read({ try BillingRunStore.run($0, id: id) }) != nil else { throw APIProblem.notFound("billing run", id) }
            let scope = principal.dealerScope
            if request.headers["Accept"]?.lowercased().contains("text/csv") == true {
                let database = api.database
                var headers = HTTPHeaders()
                headers.add("Content-Type", "text/csv; charset=utf-8")
                // Streamed page by page: a year's lines need not fit in memory.
                return HTTPResponse(status: .ok, headers: headers, body: .stream { writer in
                    try writer.write(Array(BillingLine.csvHeader.utf8))
                    var after = 0
                    while true {
                        let page = try database.read { try BillingRunStore.lines($0, runID: id, scope: scope, afterID: after, limit: 1_000) }
                        guard let last = page.last else { break }
                        try writer.write(Array(page.map { $0.line.csvRow(adjustment: $0.adjustment) }.joined().utf8))
                        after = last.id
                    }
                })
            }
            let page = try request.pageRequest()
            let after = try page.after.map { text -> Int in
                guard let value = Int(text) else { throw APIProblem.invalid("cursor", "is not a cursor this API issued") }
                return value
            } ?? 0
            let rows = try api.read { try BillingRunStore.lines($0, runID: id, scope: scope, afterID: after, limit: page.limit + 1) }
            let items = Array(rows.prefix(page.limit))
            return APIResponse.json(.ok, .object([
                ("items", .array(items.map { $0.line.json(adjustment: $0.adjustment, id: $0.id) })),
                ("next_cursor", rows.count > page.limit ? .string(Cursor.encode(String(items.last!.id))) : .null),
            ]))
        }
    }

    private func present(_ connection: Connection, _ run: BillingRunner.Summary, scope: String?) throws -> JSONValue {
        let totals = try BillingRunStore.totals(connection, runID: run.id, scope: scope)
        let scoped = BillingRunner.Summary(id: run.id, year: run.year, dryRun: false, status: run.status, createdAt: run.createdAt,
                                           totalMinor: scope == nil ? run.totalMinor : totals.total, currency: run.currency,
                                           lineCount: scope == nil ? run.lineCount : totals.lines)
        return .object(summaryMembers(scoped, byCustomer: totals.byCustomer))
    }

    private func summaryMembers(_ summary: BillingRunner.Summary, byCustomer: [(String, Int)]?) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("id", .string(summary.id)), ("year", .int(summary.year)), ("dry_run", .bool(summary.dryRun)), ("status", .string(summary.status)),
            ("created_at", .string(summary.createdAt)), ("total_minor", .int(summary.totalMinor)), ("currency", .string(summary.currency)),
            ("line_count", .int(summary.lineCount)),
        ]
        if let byCustomer {
            members.append(("totals_by_customer", .array(byCustomer.map { .object([("customer_id", .string($0.0)), ("total_minor", .int($0.1))]) })))
        }
        return members
    }
}
