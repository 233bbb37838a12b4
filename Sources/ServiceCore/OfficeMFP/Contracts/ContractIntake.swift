/// A new service contract: for a customer of the dealer, over devices
/// registered to that customer (every device that is not is listed), none
/// of them covered by another contract in an overlapping period.
public enum ContractIntake {
    /// Checks and stores the contract whose terms `terms` gives for the customer.
    public static func create(
        _ connection: Connection, customerID: String, scope: String?, _ terms: (Customer) -> ContractStore.New
    ) throws -> Contract {
        guard let customer = try CustomerStore.find(connection, id: customerID, scope: scope) else {
            throw MFPFailure.notFound(kind: "customer", id: customerID)
        }
        let new = terms(customer)
        var issues: [ValidationIssue] = []
        for (index, serial) in new.deviceSerials.enumerated() where try DeviceStore.find(connection, serial: serial, scope: scope)?.customerID != customer.id {
            issues.append(ValidationIssue(field: "device_serials[\(index)]", message: "device \(serial) is not registered to customer \(customer.id)"))
        }
        if !issues.isEmpty { throw MFPFailure.invalid(issues) }
        for serial in new.deviceSerials {
            if let other = try ContractStore.conflicting(connection, serial: serial, period: new.startsOn...new.endsOn, excluding: nil) {
                throw MFPFailure.conflict(
                    "device \(serial) is already covered by contract \(other) in an overlapping period",
                    extensions: ["conflicting_contract_id": other, "device_serial": serial]
                )
            }
        }
        return try ContractStore.create(connection, new)
    }
}
