/// A tier change during a contract: effective after its first day and no
/// later than its last, at most one per day, and to a tier not already in
/// force that day.
public enum ContractAmendments {
    /// Records the change and returns the contract as amended.
    public static func amend(_ connection: Connection, id: String, scope: String?, effectiveOn: LocalDate, tier: TierID) throws -> Contract {
        let contract = try ContractStore.existing(connection, id: id, scope: scope)
        guard contract.startsOn < effectiveOn && effectiveOn <= contract.lastDay else {
            throw MFPFailure.invalid("effective_on", "must be after \(contract.startsOn) and no later than \(contract.lastDay)")
        }
        if contract.tierHistory.contains(where: { $0.effectiveOn == effectiveOn }) {
            throw MFPFailure.conflict("contract \(id) already has a tier change effective \(effectiveOn)")
        }
        if contract.tier(on: effectiveOn) == tier {
            throw MFPFailure.invalid("tier", "\(tier.rawValue) is already in force on \(effectiveOn)")
        }
        try ContractStore.addTier(connection, contractID: id, effectiveOn: effectiveOn, tier: tier)
        try ContractStore.touch(connection, id: id)
        return try ContractStore.existing(connection, id: id, scope: nil)
    }
}
