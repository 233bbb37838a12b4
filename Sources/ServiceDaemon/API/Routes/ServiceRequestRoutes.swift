import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

struct ServiceRequestRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/service-requests") { request in
            _ = try request.principal(.admin, .dealer)
            let now = Date()
            let input = try request.decode { body -> (String, Date, ServiceRequest.Category, String, ServiceRequest.Source)? in
                let serial = body.deviceSerial("device_serial")
                let reportedAt = body.pastInstant("reported_at", required: false, now: now) ?? now
                let category = body.choice("category", ServiceRequest.Category.self)
                let description = body.string("description", maxLength: 4_000)
                let source = body.choice("source", ServiceRequest.Source.self)
                guard let serial, let category, let description, let source else { return nil }
                return (serial, reportedAt, category, description, source)
            }
            let (serial, reportedAt, category, description, source) = input
            return try api.write(request) { connection, principal in
                guard let device = try DeviceStore.find(connection, serial: serial, scope: principal.dealerScope) else {
                    throw APIProblem.notFound("device", serial)
                }
                let created = try ServiceRequestIntake.open(connection, device: device, reportedAt: reportedAt, category: category,
                                                            description: description, source: source, catalogue: api.catalogue, calendar: api.calendar)
                let contract = created.contractID
                try api.audit(connection, principal, "service_request.create", "service_request", created.id, dealer: device.dealerID,
                              [("device_serial", .string(serial)), ("coverage", .string(contract == nil ? "uncovered" : "covered"))])
                try api.publish(connection, .serviceRequestCreated, dealer: created.dealerID, id: created.id, present(created))
                return APIResponse.json(.created, present(created), version: created.version, location: "/v1/service-requests/\(created.id)")
            }
        }
        group.get("/service-requests/{id}", api.show(
            "service request", parameter: "id", find: { try ServiceRequestStore.find($0, id: $1, scope: $2) }, json: { present($0) }
        ))
        group.get("/service-requests?dealer_id&customer_id&device_serial&state&overdue&limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            var filter = ServiceRequestStore.Filter()
            filter.dealerID = request.query["dealer_id"]
            filter.customerID = request.query["customer_id"]
            filter.deviceSerial = try request.querySerial("device_serial")
            filter.state = try request.queryChoice("state", ServiceRequest.State.self)
            switch request.query["overdue"] {
            case nil, "false": break
            case "true": filter.overdueAt = Date()
            default: throw APIProblem.invalid("overdue", "must be true or false")
            }
            return APIResponse.page(try api.read { try ServiceRequestStore.list($0, scope: principal.dealerScope, filter: filter, page: page) }, writing: present)
        }
        group.post("/service-requests/{id}/events") { request in
            _ = try request.principal(.admin, .dealer)
            let id = try request.parameters.require("id")
            let now = Date()
            let event = try request.decode { eventInput($0, now: now) }
            return try api.mfpWrite(request) { connection, principal in
                let saved = try ServiceRequestEvents.record(connection, id: id, scope: principal.dealerScope, event, keyID: principal.keyID)
                try api.audit(connection, principal, "service_request.\(event.type.rawValue)", "service_request", id, dealer: saved.dealerID,
                              [("state", .string(saved.state.rawValue))])
                if let type = EventType(event.type) { try api.publish(connection, type, dealer: saved.dealerID, id: id, present(saved)) }
                return APIResponse.json(.ok, present(saved), version: saved.version)
            }
        }
        group.get("/reports/sla?from&to&dealer_id", placement: .workerPool) { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let (from, to) = try request.datePeriod()
            var filter = ServiceRequestStore.Filter()
            filter.reportedFrom = api.calendar.startOfDay(from)
            filter.reportedBefore = api.calendar.startOfDay(to.adding(days: 1))
            if principal.role != .dealer { filter.dealerID = request.query["dealer_id"] }
            let tally = try api.read {
                try ServiceRequestStore.slaTally($0, scope: principal.dealerScope, filter: filter, calendar: api.calendar, now: Date())
            }
            if request.acceptsCSV { return HTTPResponse(status: .ok, contentType: "text/csv; charset=utf-8", body: Array(csv(tally).utf8)) }
            return APIResponse.json(.ok, present(tally, from: from, to: to))
        }
    }

    private func csv(_ tally: SLAReport.Tally) -> String {
        var csv = "tier,requests,answered_in_time,breached,open_overdue,median_minutes_to_first_response\r\n"
        for row in tally.rows {
            let median = row.medianMinutesToFirstResponse.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } ?? ""
            csv += "\(row.tier.rawValue),\(row.requests),\(row.answeredInTime),\(row.breached),\(row.openAndOverdue),\(median)\r\n"
        }
        return csv
    }

    private func present(_ tally: SLAReport.Tally, from: LocalDate, to: LocalDate) -> JSONValue {
        .object([
            ("from", .string(from.description)), ("to", .string(to.description)),
            ("uncovered_requests", .int(tally.uncovered)),
            ("tiers", .array(tally.rows.map { row in
                .object([
                    ("tier", .string(row.tier.rawValue)), ("requests", .int(row.requests)), ("answered_in_time", .int(row.answeredInTime)),
                    ("breached", .int(row.breached)), ("open_overdue", .int(row.openAndOverdue)),
                    ("median_minutes_to_first_response", row.medianMinutesToFirstResponse.map(JSONValue.double) ?? .null),
                ])
            })),
        ])
    }

    /// The event's body: its type, when (by default now, never in the future), a note, and with
    /// `resolve` only the cause and billable minutes.
    private func eventInput(_ body: ObjectReader, now: Date) -> ServiceRequestEvents.Input? {
        let type = body.choice("type", ServiceRequest.EventType.self)
        let at = body.pastInstant("at", required: false, now: now) ?? now
        let note = body.string("note", required: false, maxLength: 4_000)
        let cause = body.choice("cause", ServiceRequest.Cause.self, required: false)
        let minutes = body.int("billable_minutes", required: false, range: 0...100_000)
        // null is "not given", as for every optional field.
        if let type, type != .resolve, cause != nil || minutes != nil {
            body.issues.add("type", "cause and billable_minutes go with resolve only")
        }
        // Absent or null alike: the work must be billable. An invalid value has its own issue already.
        if cause != nil && minutes == nil && !body.issues.list.contains(where: { $0.field == "billable_minutes" }) {
            body.issues.add("billable_minutes", "is required with cause outside_responsibility")
        }
        guard let type else { return nil }
        return ServiceRequestEvents.Input(type: type, at: at, note: note, cause: cause, billableMinutes: minutes)
    }

    func present(_ request: ServiceRequest) -> JSONValue { .written { present(&$0, request) } }

    func present(_ json: inout JSONWriter, _ request: ServiceRequest) {
        let now = Date()
        json.object { json in
            json.member("id", request.id)
            json.member("device_serial", request.deviceSerial)
            json.member("customer_id", request.customerID)
            json.member("dealer_id", request.dealerID)
            json.member("contract_id", request.contractID)
            json.member("coverage", request.isCovered ? "covered" : "uncovered")
            json.member("tier", request.tier)
            json.member("category", request.category)
            json.member("description", request.description)
            json.member("source", request.source)
            json.member("state", request.state)
            json.member("reported_at", request.reportedAt)
            json.member("clock_starts_at", request.clockStartsAt)
            json.member("response_due_at", request.responseDueAt)
            json.member("first_response_at", request.firstResponseAt)
            json.member("response_business_minutes", request.responseMinutes(api.calendar))
            json.member("response_breached", request.responseBreached(at: now))
            json.member("overdue", request.isOverdue(at: now))
            json.member("resolved_at", request.resolvedAt)
            json.member("cause", request.cause)
            json.member("billable", request.isBillable)
            json.member("billable_minutes", request.billableMinutes)
            json.key("events")
            json.array(request.events) { json, event in
                json.object { json in
                    json.member("type", event.type)
                    json.member("at", event.at)
                    json.member("note", event.note)
                }
            }
        }
    }
}
