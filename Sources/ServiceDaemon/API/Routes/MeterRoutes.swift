import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Meter readings in, usage out.
struct MeterRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/meter-readings", maxBodyBytes: api.maxBatchBodyBytes) { request in
            _ = try request.principal(.admin, .dealer)
            let readings = try parse(request)
            var stored = 0  // counted once committed; a replay stores nothing
            let response = try api.write(request) { connection, principal in
                try ingest(connection, principal, readings, stored: &stored)
            }
            api.metrics?.readingsStored(stored)
            return response
        }
        group.get("/devices/{serial}/usage?from&to&granularity") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let serial = try request.serialParameter()
            let (from, to) = try request.datePeriod()
            if let granularity = request.query["granularity"], granularity != "month" {
                throw APIProblem.invalid("granularity", "must be month")
            }
            let report = try api.read {
                try DeviceUsageReport.read($0, serial: serial, scope: principal.dealerScope, from: from, to: to, catalogue: api.catalogue, calendar: api.calendar)
            }
            guard let report else { throw APIProblem.notFound("device", serial) }
            return APIResponse.json(.ok, present(report))
        }
        group.get("/reports/usage?customer_id&from&to", placement: .workerPool) { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            guard let customerID = request.query["customer_id"] else { throw APIProblem.invalid("customer_id", "is required") }
            let (from, to) = try request.datePeriod()
            let report = try api.read {
                try CustomerUsageReport.read($0, customerID: customerID, scope: principal.dealerScope, from: from, to: to, calendar: api.calendar)
            }
            guard let report else { throw APIProblem.notFound("customer", customerID) }
            if request.acceptsCSV { return HTTPResponse(status: .ok, contentType: "text/csv; charset=utf-8", body: Array(csv(report).utf8)) }
            return APIResponse.json(.ok, .object([
                ("customer_id", .string(customerID)), ("from", .string(from.description)), ("to", .string(to.description)),
                ("items", .array(report.lines.map { line in
                    .object([("device_serial", .string(line.device.serial)), ("model", .string(line.device.model)), ("family", .string(line.device.familyID))]
                            + figures(line.usage) + [("banner_not_agreed", .bool(line.bannerNotAgreed))])
                })),
            ]))
        }
    }

    // MARK: Ingestion

    /// Plain well-formed batches take the scanner; everything else, and
    /// every error, the general path.
    private func parse(_ request: HTTPRequest) throws -> MeterReadingInput.Decoded {
        try request.requireJSONContentType()
        let now = Date()
        if let readings = MeterReadingBatchScanner.scan(request.body, now: now) {
            return MeterReadingInput.Decoded(readings: readings.enumerated().map { ($0.offset, $0.element) }, isBatch: true)
        }
        let issues = ValidationIssues()
        let decoded = MeterReadingInput.decode(try request.jsonObject(issues, limits: MeterReadingInput.jsonLimits), now: now)
        if !issues.list.isEmpty { throw APIProblem.validation(ValidationFailure(issues.list)) }
        return decoded
    }

    /// Stores the readings (`MeterIngestion`) and audits the request.
    private func ingest(
        _ connection: Connection, _ principal: Principal, _ request: MeterReadingInput.Decoded, stored: inout Int
    ) throws -> HTTPResponse {
        let outcome: MeterIngestion.Outcome
        do {
            outcome = try MeterIngestion.ingest(connection, request, scope: principal.dealerScope, receivedAt: Int64(Date().timeIntervalSince1970 * 1000))
        } catch MeterIngestion.Refusal.invalid(let issues) {
            throw APIProblem.validation(ValidationFailure(issues))
        } catch MeterIngestion.Refusal.conflicting(let conflicts) {
            throw APIProblem.conflict("readings at the same instant as earlier ones carry other figures",
                                      extensions: [("errors", .array(conflicts.map { .object([("field", .string($0.field)), ("message", .string($0.message))]) }))])
        }
        stored = outcome.stored
        try api.audit(connection, principal, "meter_readings.ingest", "meter_readings", Identifier.make("mrb"), dealer: principal.dealerID,
                      [("received", .int(outcome.received)), ("stored", .int(outcome.stored))])
        return APIResponse.json(.ok, .object([
            ("received", .int(outcome.received)), ("stored", .int(outcome.stored)), ("duplicates", .int(outcome.duplicates)),
        ]))
    }

    // MARK: Usage

    private func present(_ report: DeviceUsageReport) -> JSONValue {
        .object([
            ("device_serial", .string(report.device.serial)), ("family", .string(report.device.familyID)),
            ("rated_monthly_duty", report.ratedMonthlyDuty.map(JSONValue.int) ?? .null), ("normal_use", report.normalUse?.json ?? .null),
            ("periods", .array(report.months.map { month in
                .object([
                    ("period", .string(String(month.from.description.prefix(7)))), ("from", .string(month.from.description)),
                    ("to", .string(month.to.description)),
                ] + figures(month.usage) + [("banner_not_agreed", .bool(month.bannerNotAgreed))])
            })),
        ])
    }

    private func csv(_ report: CustomerUsageReport) -> String {
        var csv = "device_serial,model,family,bw_pages,colour_pages,a4_equivalents,banner_clicks,colour_share,estimated,banner_not_agreed\r\n"
        for line in report.lines {
            let c = line.usage.counters
            let share = colourShare(c).map { String(format: "%.4f", $0) } ?? ""
            csv += "\(CSV.field(line.device.serial)),\(CSV.field(line.device.model)),\(line.device.familyID),\(c.bwPages),\(c.colourPages),"
                + "\(c.a4Equivalents),\(c.bannerClicks),\(share),\(line.usage.estimated),\(line.bannerNotAgreed)\r\n"
        }
        return csv
    }

    private func colourShare(_ counters: MeterCounters) -> Double? {
        counters.a4Equivalents == 0 ? nil : Double(counters.colourA4Equivalents) / Double(counters.a4Equivalents)
    }

    private func figures(_ usage: Usage) -> [(String, JSONValue)] {
        let c = usage.counters
        return [
            ("bw_pages", .int(c.bwPages)), ("colour_pages", .int(c.colourPages)), ("a4_equivalents", .int(c.a4Equivalents)),
            ("colour_a4_equivalents", .int(c.colourA4Equivalents)), ("banner_clicks", .int(c.bannerClicks)),
            ("colour_share", colourShare(c).map { .double(($0 * 10_000).rounded() / 10_000) } ?? .null),
            ("estimated", .bool(usage.estimated)),
            ("counters", c.json),
        ]
    }
}
