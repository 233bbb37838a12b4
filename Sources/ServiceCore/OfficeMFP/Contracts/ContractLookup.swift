extension ContractStore {
    /// The contract as an office MFP operation needs it: found, or the
    /// programme's 404, which another dealer's contract gets too.
    static func existing(_ connection: Connection, id: String, scope: String?) throws -> Contract {
        guard let contract = try find(connection, id: id, scope: scope) else { throw MFPFailure.notFound(kind: "contract", id: id) }
        return contract
    }
}
