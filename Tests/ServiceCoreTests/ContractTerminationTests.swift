import Testing
@testable import ServiceCore

/// `ContractTermination.terminate` on the `ListQueryCountTests` estate, where
/// dealer dlr_1's contract con_001 runs from 2026-01-01 to 2026-12-31.
@Suite struct ContractTerminationTests {
    static func terminate(_ pool: DatabasePool, _ lastDay: String, scope: String? = "dlr_1") throws -> Contract {
        try pool.write { try ContractTermination.terminate($0, id: "con_001", scope: scope, lastDay: LocalDate(lastDay)!) }
    }

    /// The first and the last day of the contract are within it.
    @Test(arguments: ["2026-01-01", "2026-06-30", "2026-12-31"])
    func aLastDayWithinTheContractEndsIt(_ lastDay: String) throws {
        let (database, pool) = try ListQueryCountTests.fixture()
        defer { withExtendedLifetime(database) {} }
        let terminated = try Self.terminate(pool, lastDay)
        #expect(terminated.terminatedOn == LocalDate(lastDay))
        #expect(terminated.lastDay == LocalDate(lastDay))
        #expect(try pool.read { try ContractStore.find($0, id: "con_001", scope: nil) }?.terminatedOn == LocalDate(lastDay))
    }

    @Test(arguments: ["2025-12-31", "2027-01-01"])
    func aLastDayOutsideTheContractIsRefused(_ lastDay: String) throws {
        let (database, pool) = try ListQueryCountTests.fixture()
        defer { withExtendedLifetime(database) {} }
        #expect(throws: MFPFailure.invalid("effective_on", "must lie within the contract, 2026-01-01 to 2026-12-31")) {
            try Self.terminate(pool, lastDay)
        }
        #expect(try pool.read { try ContractStore.find($0, id: "con_001", scope: nil) }?.terminatedOn == nil)
    }

    @Test func aContractEndsOnce() throws {
        let (database, pool) = try ListQueryCountTests.fixture()
        defer { withExtendedLifetime(database) {} }
        _ = try Self.terminate(pool, "2026-06-30")
        #expect(throws: MFPFailure.conflict("contract con_001 was already terminated effective 2026-06-30")) {
            try Self.terminate(pool, "2026-05-31")
        }
        #expect(try pool.read { try ContractStore.find($0, id: "con_001", scope: nil) }?.terminatedOn == LocalDate("2026-06-30"))
    }

    /// Another dealer's contract is not found, as a contract that does not exist is.
    @Test func anotherDealersContractIsNotFound() throws {
        let (database, pool) = try ListQueryCountTests.fixture()
        defer { withExtendedLifetime(database) {} }
        #expect(throws: MFPFailure.notFound(kind: "contract", id: "con_001")) { try Self.terminate(pool, "2026-06-30", scope: "dlr_2") }
    }
}
