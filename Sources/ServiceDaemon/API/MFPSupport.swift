import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// What the office MFP programme's operation routes share: its failures as
/// the API's problem documents, and its presenters.
extension API {
    /// A write through `API.write` (transaction, idempotency) with `MFPFailure` answered as 404, 409 or 422.
    func mfpWrite(_ request: HTTPRequest, _ body: @escaping (Connection, Principal) throws -> HTTPResponse) throws -> HTTPResponse {
        try write(request) { connection, principal in
            do {
                return try body(connection, principal)
            } catch let failure as MFPFailure {
                switch failure {
                case .notFound(let kind, let id): throw APIProblem.notFound(kind, id)
                case .conflict(let detail, let extensions):
                    throw APIProblem.conflict(detail, extensions: extensions.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
                case .invalid(let issues): throw APIProblem.validation(ValidationFailure(issues))
                }
            }
        }
    }
}

extension WorkOrder: Versioned {}

extension WorkOrderRoutes {
    func present(_ order: WorkOrder) -> JSONValue {
        let now = Date()
        func instant(_ date: Date?) -> JSONValue { date.map { .string(RFC3339.format($0)) } ?? .null }
        return .object([
            ("id", .string(order.id)), ("contract_id", .string(order.contractID)), ("device_serial", .string(order.deviceSerial)),
            ("customer_id", .string(order.customerID)), ("dealer_id", .string(order.dealerID)),
            ("implementation_package", .string(order.implementationPackage)), ("delivered_at", instant(order.deliveredAt)),
            ("services", .array(order.services.map { state in
                .object([
                    ("service", .string(state.service)), ("state", .string(state.state.rawValue)), ("completed_at", instant(state.completedAt)),
                    ("due_at", instant(state.dueAt)),
                    ("deadline", state.dueAt.map { .string(ImplementationRules.status(dueAt: $0, completedAt: state.completedAt, now: now).rawValue) } ?? .null),
                ])
            })),
            ("time_entries", .array(order.timeEntries.map { entry in
                .object([
                    ("id", .string(entry.id)), ("service", .string(entry.service)), ("minutes", .int(entry.minutes)),
                    ("people", entry.people.map(JSONValue.int) ?? .null), ("performed_at", instant(entry.performedAt)),
                ])
            })),
            ("extras", .array(order.extras.map { extra in
                .object([
                    ("id", .string(extra.id)), ("add_on", .string(extra.addOn)), ("minutes", .int(extra.minutes)),
                    ("performed_at", instant(extra.performedAt)), ("note", extra.note.map(JSONValue.string) ?? .null),
                ])
            })),
            ("created_at", .string(order.createdAt)),
        ])
    }

    func present(_ report: DeadlineReport, from: LocalDate, to: LocalDate) -> JSONValue {
        .object([
            ("from", .string(from.description)), ("to", .string(to.description)), ("deadlines", .int(report.deadlines)),
            ("completed_in_time", .int(report.inTime)), ("breached", .int(report.breached)), ("open", .int(report.open)),
            ("open_overdue", .int(report.overdue)),
            ("breaches", .array(report.breaches.map { breach in
                .object([
                    ("work_order_id", .string(breach.workOrderID)), ("device_serial", .string(breach.deviceSerial)),
                    ("service", .string(breach.service)), ("due_at", .string(RFC3339.format(breach.dueAt))),
                    ("completed_at", breach.completedAt.map { .string(RFC3339.format($0)) } ?? .null),
                ])
            })),
        ])
    }
}
