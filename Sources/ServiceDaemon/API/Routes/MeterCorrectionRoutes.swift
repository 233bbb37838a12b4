import Foundation
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Voiding a wrong meter reading (`MeterCorrection`).
struct MeterCorrectionRoutes {
    let api: API

    func register(on group: inout RouteGroup) {
        group.post("/meter-readings/{serial}/{read_at}/void") { request in
            _ = try request.principal(.admin, .dealer)
            let serial = try request.serialParameter()
            let text = try request.parameters.require("read_at")
            guard let instant = RFC3339.parse(text) else {
                throw APIProblem.invalid("read_at", "must be the reading's RFC 3339 instant, e.g. 2026-03-02T14:00:00%2B01:00")
            }
            let readAt = MeterReadingInput.millis(instant)
            let reason = try request.decode { $0.string("reason", maxLength: 4_000) }
            return try api.write(request) { connection, principal in
                guard let device = try DeviceStore.find(connection, serial: serial, scope: principal.dealerScope) else {
                    throw APIProblem.notFound("device", serial)
                }
                let now = Timestamp.now()
                let reading: MeterReading
                do {
                    reading = try MeterCorrection.void(connection, serial: serial, readAt: readAt, reason: reason, principal: principal,
                                                       dealerID: device.dealerID, at: now)
                } catch MeterCorrection.Failure.notFound(let voidedAt) {
                    if let voidedAt { throw APIProblem.conflict("the reading of \(serial) at \(text) was voided at \(voidedAt)") }
                    throw APIProblem.notFound("meter reading of \(serial) at", text)
                } catch MeterCorrection.Failure.neighboursDisagree(let problem) {
                    throw APIProblem.conflict("the reading of \(serial) at \(text) cannot be voided: \(problem)")
                }
                return APIResponse.json(.ok, present(reading, serial: serial, readAt: instant, voidedAt: now, reason: reason))
            }
        }
    }

    private func present(_ reading: MeterReading, serial: String, readAt: Date, voidedAt: String, reason: String) -> JSONValue {
        .object([
            ("device_serial", .string(serial)), ("read_at", .string(RFC3339.format(readAt))), ("counters", reading.counters.json),
            ("source", .string(reading.source.rawValue)), ("counter_reset", .bool(reading.counterReset)),
            ("voided_at", .string(voidedAt)), ("reason", .string(reason)),
        ])
    }
}
