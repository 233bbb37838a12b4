/// A contract ended early: once only, with a last day within the contract
/// (its first day included, when it never ran).
public enum ContractTermination {
    /// Records `lastDay` as the contract's last day and returns the contract as terminated.
    public static func terminate(_ connection: Connection, id: String, scope: String?, lastDay: LocalDate) throws -> Contract {
        let contract = try ContractStore.existing(connection, id: id, scope: scope)
        if let terminated = contract.terminatedOn {
            throw MFPFailure.conflict("contract \(id) was already terminated effective \(terminated)")
        }
        guard contract.startsOn <= lastDay && lastDay <= contract.endsOn else {
            throw MFPFailure.invalid("effective_on", "must lie within the contract, \(contract.startsOn) to \(contract.endsOn)")
        }
        try ContractStore.terminate(connection, id: id, lastDay: lastDay)
        return try ContractStore.existing(connection, id: id, scope: nil)
    }
}
