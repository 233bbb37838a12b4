import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Meter readings in, usage out.
struct MeterRoutes {
    let api: API
    static let maxBatch = 10_000

    func register(on group: inout RouteGroup) {
        group.post("/meter-readings") { request in
            _ = try request.principal(.admin, .dealer)
            let readings = try parse(request)
            return try api.write(request) { connection, principal in
                try ingest(connection, principal, readings)
            }
        }
        group.get("/devices/{serial}/usage") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let serial = try request.parameters.require("serial")
            let (from, to) = try request.datePeriod()
            if let granularity = request.query["granularity"], granularity != "month" {
                throw APIProblem.invalid("granularity", "must be month")
            }
            return try api.read { connection in
                guard let device = try DeviceStore.find(connection, serial: serial, scope: principal.dealerScope) else {
                    throw APIProblem.notFound("device", serial)
                }
                let duty = api.catalogue.family(id: device.familyID)?.ratedMonthlyDuty
                let periods = try months(from: from, to: to).map { month -> JSONValue in
                    let usage = try usageOver(connection, serial: serial, from: month.from, through: month.to)
                    var members = figures(usage)
                    members.insert(("period", .string(String(month.from.description.prefix(7)))), at: 0)
                    members.insert(("from", .string(month.from.description)), at: 1)
                    members.insert(("to", .string(month.to.description)), at: 2)
                    let a4 = usage.counters.a4Equivalents
                    members.append(("above_rated_duty", duty.map { .bool(a4 > $0) } ?? .null))
                    return .object(members)
                }
                return APIResponse.json(.ok, .object([
                    ("device_serial", .string(serial)), ("family", .string(device.familyID)),
                    ("rated_monthly_duty", duty.map(JSONValue.int) ?? .null), ("periods", .array(periods)),
                ]))
            }
        }
        group.get("/reports/usage") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            guard let customerID = request.query["customer_id"] else { throw APIProblem.invalid("customer_id", "is required") }
            let (from, to) = try request.datePeriod()
            let rows = try api.read { connection -> [(Device, Usage)] in
                guard try CustomerStore.find(connection, id: customerID, scope: principal.dealerScope) != nil else {
                    throw APIProblem.notFound("customer", customerID)
                }
                let devices = try Page.all { try DeviceStore.list(connection, scope: principal.dealerScope, customerID: customerID, page: $0) }
                return try devices.map { ($0, try usageOver(connection, serial: $0.serial, from: from, through: to)) }
            }
            if request.headers["Accept"]?.lowercased().contains("text/csv") == true {
                var csv = "device_serial,model,family,bw_pages,colour_pages,a4_equivalents,banner_clicks,colour_share,estimated\r\n"
                for (device, usage) in rows {
                    let c = usage.counters
                    let share = colourShare(c).map { String(format: "%.4f", $0) } ?? ""
                    csv += "\(CSV.field(device.serial)),\(CSV.field(device.model)),\(device.familyID),\(c.bwPages),\(c.colourPages),"
                        + "\(c.a4Equivalents),\(c.bannerClicks),\(share),\(usage.estimated)\r\n"
                }
                return HTTPResponse(status: .ok, contentType: "text/csv; charset=utf-8", body: Array(csv.utf8))
            }
            return APIResponse.json(.ok, .object([
                ("customer_id", .string(customerID)), ("from", .string(from.description)), ("to", .string(to.description)),
                ("items", .array(rows.map { device, usage in
                    .object([("device_serial", .string(device.serial)), ("model", .string(device.model)), ("family", .string(device.familyID))]
                            + figures(usage))
                })),
            ]))
        }
    }

    // MARK: Ingestion

    private func parse(_ request: HTTPRequest) throws -> [(index: Int, reading: MeterReading)] {
        let issues = ValidationIssues()
        let root = try request.jsonObject(issues)
        let now = Date()
        var out: [(Int, MeterReading)] = []
        if root.contains("readings") {
            let items = root.array("readings", maxCount: Self.maxBatch) ?? []
            root.rejectUnknownFields()
            if items.isEmpty, issues.list.isEmpty { issues.add("readings", "must contain at least one reading") }
            for (index, item) in items.enumerated() {
                guard let reader = ObjectReader(item, path: "readings[\(index)]", issues: issues) else { continue }
                if let reading = reading(reader, now: now) { out.append((index, reading)) }
            }
        } else if let reading = reading(root, now: now) {
            out.append((0, reading))
        }
        if !issues.list.isEmpty { throw APIProblem.validation(ValidationFailure(issues.list)) }
        return out
    }

    private func reading(_ body: ObjectReader, now: Date) -> MeterReading? {
        let serial = body.string("device_serial", maxLength: 64)
        let readAt = body.pastInstant("read_at", now: now).map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) }
        let range = 0...Int(Int32.max) * 1_000
        let bwA4 = body.int("bw_a4", range: range), bwA3 = body.int("bw_a3", range: range)
        let colourA4 = body.int("colour_a4", range: range), colourA3 = body.int("colour_a3", range: range)
        let bannerBW = body.int("banner_bw", range: range), bannerColour = body.int("banner_colour", range: range)
        // Not the generic `choice`: this runs once per reading of a batch.
        var source: MeterReading.Source?
        if let text = body.string("source") {
            source = MeterReading.Source(rawValue: text)
            if source == nil { body.issues.add(body.field("source"), "must be one of dms, manual, estimate") }
        }
        let reset = body.bool("counter_reset", required: false) ?? false
        body.rejectUnknownFields()
        guard let serial, let readAt, let source, let bwA4, let bwA3, let colourA4, let colourA3, let bannerBW, let bannerColour else { return nil }
        return MeterReading(
            deviceSerial: serial, readAt: readAt,
            counters: MeterCounters(bwA4: bwA4, bwA3: bwA3, colourA4: colourA4, colourA3: colourA3, bannerBW: bannerBW, bannerColour: bannerColour),
            source: source, counterReset: reset
        )
    }

    /// All or nothing: every reading is checked against its neighbours
    /// (stored and in the batch) before any is stored.
    private func ingest(_ connection: Connection, _ principal: Principal, _ readings: [(index: Int, reading: MeterReading)]) throws -> HTTPResponse {
        var issues: [ValidationIssue] = []
        var conflicts: [ValidationIssue] = []
        var accepted: [MeterReading] = []
        let byDevice = Dictionary(grouping: readings) { $0.reading.deviceSerial }
        for serial in byDevice.keys.sorted() {
            let group = byDevice[serial]!
            guard try DeviceStore.find(connection, serial: serial, scope: principal.dealerScope) != nil else {
                issues += group.map { ValidationIssue(field: path($0.index, "device_serial", readings.count), message: "unknown device \(serial)") }
                continue
            }
            let instants = group.map(\.reading.readAt)
            let stored = try MeterReadingStore.around(connection, serial: serial, from: instants.min()!, to: instants.max()!)
            let outcome = MeterValidation.check(new: group, stored: stored)
            for problem in outcome.problems {
                switch problem {
                case let .decreasing(index, field, message):
                    issues.append(ValidationIssue(field: path(index, field, readings.count), message: message))
                case let .conflict(index, message):
                    conflicts.append(ValidationIssue(field: path(index, "read_at", readings.count), message: message))
                }
            }
            let keep = Set(outcome.accepted)
            accepted += group.filter { keep.contains($0.index) }.map(\.reading)
        }
        if !issues.isEmpty { throw APIProblem.validation(ValidationFailure(issues + conflicts)) }
        if !conflicts.isEmpty {
            throw APIProblem.conflict("readings at the same instant as earlier ones carry other figures",
                                      extensions: [("errors", .array(conflicts.map { .object([("field", .string($0.field)), ("message", .string($0.message))]) }))])
        }
        try MeterReadingStore.insert(connection, accepted, receivedAt: Int64(Date().timeIntervalSince1970 * 1000))
        try api.audit(connection, principal, "meter_readings.ingest", "meter_readings", Identifier.make("mrb"), dealer: principal.dealerID,
                      [("received", .int(readings.count)), ("stored", .int(accepted.count))])
        return APIResponse.json(.ok, .object([
            ("received", .int(readings.count)), ("stored", .int(accepted.count)), ("duplicates", .int(readings.count - accepted.count)),
        ]))
    }

    private func path(_ index: Int, _ field: String, _ count: Int) -> String {
        count == 1 && index == 0 ? field : "readings[\(index)].\(field)"
    }

    // MARK: Usage

    /// Usage over the local days `from` through `through`, inclusive.
    private func usageOver(_ connection: Connection, serial: String, from: LocalDate, through: LocalDate) throws -> Usage {
        let start = millis(api.calendar.startOfDay(from))
        let end = millis(api.calendar.startOfDay(through.adding(days: 1)))
        let readings = try MeterReadingStore.around(connection, serial: serial, from: start, to: end)
        return Usage.over(from: start, to: end, readings: readings)
    }

    private func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// Calendar months overlapping [from, to], clipped to it.
    private func months(from: LocalDate, to: LocalDate) -> [(from: LocalDate, to: LocalDate)] {
        var out: [(LocalDate, LocalDate)] = []
        var start = from
        while start <= to {
            let monthEnd = LocalDate(year: start.year, month: start.month, day: LocalDate.daysIn(month: start.month, year: start.year))!
            let end = min(monthEnd, to)
            out.append((start, end))
            start = monthEnd.adding(days: 1)
        }
        return out
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
            ("counters", .object(zip(MeterCounters.names, c.values).map { ($0, .int($1)) })),
        ]
    }
}
