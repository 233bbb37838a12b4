import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Implementation work orders: one per device of a contract, with the
/// services of its package, the delivery, each service's state and
/// deadline, and the time and extras billing reads.
struct WorkOrderRoutes {
    let api: API

    var orders: WorkOrders { WorkOrders(catalogue: api.catalogue, calendar: api.calendar) }

    func register(on group: inout RouteGroup) {
        group.post("/work-orders") { request in
            _ = try request.principal(.admin, .dealer)
            let (contractID, serial) = try request.decode { body -> (String, String)? in
                let contract = body.string("contract_id")
                let serial = body.deviceSerial("device_serial")
                guard let contract, let serial else { return nil }
                return (contract, serial)
            }
            return try api.mfpWrite(request) { connection, principal in
                let order = try orders.create(connection, contractID: contractID, serial: serial, scope: principal.dealerScope)
                try api.audit(connection, principal, "work_order.create", "work_order", order.id, dealer: order.dealerID,
                              [("contract_id", .string(contractID)), ("device_serial", .string(serial))])
                return APIResponse.json(.created, present(order), version: order.version, location: "/v1/work-orders/\(order.id)")
            }
        }
        group.get("/work-orders/{id}", api.show(
            "work order", parameter: "id", find: { try WorkOrderStore.find($0, id: $1, scope: $2) }, json: { [self] in present($0) }
        ))
        group.get("/work-orders?contract_id&device_serial&limit&cursor") { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let page = try request.pageRequest()
            let filter = WorkOrderStore.Filter(contractID: request.query["contract_id"], deviceSerial: try request.querySerial("device_serial"))
            return APIResponse.page(try api.read { try WorkOrderStore.list($0, scope: principal.dealerScope, filter: filter, page: page) }) {
                present($0)
            }
        }
        group.post("/work-orders/{id}/delivery") { request in
            try progress(request, "delivery", instant: "delivered_at") { connection, id, at, scope in
                try orders.deliver(connection, id: id, at: at, scope: scope)
            }
        }
        group.post("/work-orders/{id}/services/{service}/complete") { request in
            let service = try request.parameters.require("service")
            return try progress(request, "complete", instant: "completed_at", detail: [("service", .string(service))]) { connection, id, at, scope in
                try orders.complete(connection, id: id, service: service, at: at, scope: scope)
            }
        }
        group.post("/work-orders/{id}/time-entries") { request in
            let id = try request.parameters.require("id")
            let now = Date()
            let entry = try request.decode { body -> (String, Int, Int?, Date)? in
                let service = body.string("service")
                let minutes = body.int("minutes", range: 1...1_440)
                let people = body.int("people", required: false, range: 1...1_000)
                let at = body.pastInstant("performed_at", required: false, now: now) ?? now
                guard let service, let minutes else { return nil }
                return (service, minutes, people, at)
            }
            return try recorded(request, id, "time_entry", [("service", .string(entry.0)), ("minutes", .int(entry.1))]) { connection, scope in
                try orders.addTime(connection, id: id, service: entry.0, minutes: entry.1, people: entry.2, at: entry.3, scope: scope)
            }
        }
        group.post("/work-orders/{id}/extras") { request in
            let id = try request.parameters.require("id")
            let now = Date()
            let extra = try request.decode { body -> (String, Int, Date, String?)? in
                let addOn = body.string("add_on")
                let minutes = body.int("minutes", range: 1...1_440)
                let at = body.pastInstant("performed_at", required: false, now: now) ?? now
                let note = body.string("note", required: false, maxLength: 4_000)
                guard let addOn, let minutes else { return nil }
                return (addOn, minutes, at, note)
            }
            return try recorded(request, id, "extra", [("add_on", .string(extra.0)), ("minutes", .int(extra.1))]) { connection, scope in
                try orders.addExtra(connection, id: id, addOn: extra.0, minutes: extra.1, at: extra.2, note: extra.3, scope: scope)
            }
        }
        group.get("/reports/implementation?from&to", placement: .workerPool) { request in
            let principal = try request.principal(.admin, .billing, .dealer)
            let (from, to) = try request.datePeriod()
            let report = try api.read { connection in
                try DeadlineReport.read(connection, scope: principal.dealerScope, from: api.calendar.startOfDay(from),
                                        before: api.calendar.startOfDay(to.adding(days: 1)), now: Date())
            }
            return APIResponse.json(.ok, present(report, from: from, to: to))
        }
    }

    /// A delivery or a completion: an optional past instant, then the operation.
    private func progress(
        _ request: HTTPRequest, _ action: String, instant: String, detail: [(String, JSONValue)] = [],
        _ apply: @escaping (Connection, String, Date, String?) throws -> WorkOrder
    ) throws -> HTTPResponse {
        _ = try request.principal(.admin, .dealer)
        let id = try request.parameters.require("id")
        let now = Date()
        let at = try request.decode { body -> Date?? in .some(body.pastInstant(instant, required: false, now: now)) } ?? now
        return try api.mfpWrite(request) { connection, principal in
            let order = try apply(connection, id, at, principal.dealerScope)
            try api.audit(connection, principal, "work_order.\(action)", "work_order", id, dealer: order.dealerID,
                          detail + [(instant, .string(RFC3339.format(at)))])
            return APIResponse.json(.ok, present(order), version: order.version)
        }
    }

    /// A time entry or an extra: 201 with the work order.
    private func recorded(
        _ request: HTTPRequest, _ id: String, _ kind: String, _ detail: [(String, JSONValue)],
        _ apply: @escaping (Connection, String?) throws -> WorkOrder
    ) throws -> HTTPResponse {
        _ = try request.principal(.admin, .dealer)
        return try api.mfpWrite(request) { connection, principal in
            let order = try apply(connection, principal.dealerScope)
            try api.audit(connection, principal, "work_order.\(kind)", "work_order", id, dealer: order.dealerID, detail)
            return APIResponse.json(.created, present(order), version: order.version, location: "/v1/work-orders/\(id)")
        }
    }
}
