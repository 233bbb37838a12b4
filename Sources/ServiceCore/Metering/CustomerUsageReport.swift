import Foundation

/// Every device of a customer with its usage over a period and whether
/// banner prints in it had no agreement: `GET /v1/reports/usage`.
public struct CustomerUsageReport: Sendable {
    public struct Line: Sendable {
        public let device: Device
        public let usage: Usage
        public let bannerNotAgreed: Bool
    }

    public let lines: [Line]

    /// The report over `from...to`; nil when the customer is unknown or not
    /// the `scope` dealer's. One statement reads every device's readings and
    /// one the customer's contracts, whatever the number of devices.
    public static func read(
        _ connection: Connection, customerID: String, scope: String?, from: LocalDate, to: LocalDate, calendar: SupportCalendar
    ) throws -> CustomerUsageReport? {
        guard try CustomerStore.find(connection, id: customerID, scope: scope) != nil else { return nil }
        let devices = try Page.all { try DeviceStore.list(connection, scope: scope, customerID: customerID, page: $0) }
        let dayStart = calendar.startOfDayMillis
        let start = dayStart(from), end = dayStart(to.adding(days: 1))
        let readings = try MeterReadingStore.around(connection, customerID: customerID, from: start, to: end)
        let contracts = try contractsByDevice(connection, customerID: customerID)
        return CustomerUsageReport(lines: devices.map { device in
            let ofDevice = readings[device.serial] ?? []
            return Line(
                device: device, usage: Usage.over(from: start, to: end, readings: ofDevice),
                bannerNotAgreed: BannerAgreement.notAgreed(
                    readings: ofDevice, contracts: contracts[device.serial] ?? [], from: from, through: to, dayStart: dayStart
                )
            )
        })
    }

    /// Every contract of a customer's devices, by serial: a device's contracts are its customer's.
    private static func contractsByDevice(_ connection: Connection, customerID: String) throws -> [String: [Contract]] {
        let contracts = try Page.all { try ContractStore.list(connection, scope: nil, filter: .init(customerID: customerID), page: $0) }
        var bySerial: [String: [Contract]] = [:]
        for contract in contracts {
            for serial in contract.deviceSerials { bySerial[serial, default: []].append(contract) }
        }
        return bySerial
    }
}
