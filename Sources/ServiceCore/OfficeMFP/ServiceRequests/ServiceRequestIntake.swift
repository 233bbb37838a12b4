import Foundation

/// A service request as it is reported: the contract covering the device
/// on the day (in the support calendar's time zone) decides its tier, and
/// the tier's response time its clock start and response deadline; a device
/// without a contract gets an uncovered request with no deadline.
public enum ServiceRequestIntake {
    public static func open(
        _ connection: Connection, device: Device, reportedAt: Date, category: ServiceRequest.Category, description: String,
        source: ServiceRequest.Source, alertCode: String? = nil, catalogue: Catalogue, calendar: SupportCalendar
    ) throws -> ServiceRequest {
        let day = calendar.localDate(of: reportedAt)
        let contract = try ContractStore.covering(connection, serial: device.serial, on: day)
        let tier = contract?.tier(on: day)
        let deadline = tier.flatMap { catalogue.tiers[$0] }.map { calendar.deadline(for: $0.response, reportedAt: reportedAt) }
        let request = ServiceRequest(
            id: Identifier.make("srq"), deviceSerial: device.serial, customerID: device.customerID, dealerID: device.dealerID,
            contractID: contract?.id, tier: tier, reportedAt: reportedAt, category: category, description: description,
            source: source, state: .open, clockStartsAt: deadline?.clockStartsAt, responseDueAt: deadline?.responseDueAt,
            firstResponseAt: nil, resolvedAt: nil, cause: nil, billableMinutes: nil, events: [], version: 1
        )
        try ServiceRequestStore.create(connection, request, alertCode: alertCode)
        return request
    }
}
