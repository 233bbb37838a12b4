import ServiceCore
import ServiceHTTP
import ServiceJSON

/// `GET /v1/cps/reports/turnaround?from=&to=`: per centre and level over repairs completed in the period
/// (a dealer key: its own centres only); JSON, or CSV with `Accept: text/csv`.
struct CPSTurnaroundReportRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.get("/cps/reports/turnaround?from&to", placement: .workerPool) { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let (from, to) = try request.datePeriod()
            let rows = try api.cpsRead {
                try CPSRepairs.turnaroundReport($0, from: from, to: to, dealerScope: principal.dealerScope, rules: api.cps)
            }
            if request.acceptsCSV {
                let lines = rows.map { row in
                    "\(CSV.field(row.centreID)),\(row.level?.rawValue ?? "none"),\(row.completed),\(row.onTarget),\(row.late),"
                        + "\(row.medianWorkingDays),\(row.loansEntitled),\(row.loansLent)\r\n"
                }
                let csv = "service_centre_id,level,completed,on_target,late,median_working_days,loans_entitled,loans_lent\r\n" + lines.joined()
                return HTTPResponse(status: .ok, contentType: "text/csv; charset=utf-8", body: Array(csv.utf8))
            }
            return APIResponse.json(.ok, .object([("from", .string(from.description)), ("to", .string(to.description)),
                                                  ("items", .array(rows.map(\.json)))]))
        }
    }
}

extension TurnaroundReportRow {
    var json: JSONValue {
        .object([
            ("service_centre_id", .string(centreID)), ("level", level.map { .string($0.rawValue) } ?? .null), ("completed", .int(completed)),
            ("on_target", .int(onTarget)), ("late", .int(late)), ("median_working_days", .double(medianWorkingDays)),
            ("loans_entitled", .int(loansEntitled)), ("loans_lent", .int(loansLent)),
        ])
    }
}
