import Foundation
import Testing
@testable import ServiceCore

/// Security activation is included in every implementation package and may be
/// downgraded (removed) on a contract; before migration 17 it was an option.
@Suite struct PackageDowngradeTests {
    static let advanced = ImplementationPackage(
        id: "advanced", name: "Advanced", included: ["pre_install", "freight_delivery", "installation_network", "security_activation"],
        downgradable: ["security_activation"], optional: ["connectivity", "user_training"]
    )

    @Test func aContractReceivesTheIncludedServicesItKeepsAndTheOptionsItBought() {
        // Advanced: 4 included; downgrading security activation leaves 3, then the bought connectivity.
        #expect(Self.advanced.services(downgrades: ["security_activation"], options: ["connectivity"])
            == ["pre_install", "freight_delivery", "installation_network", "connectivity"])
        #expect(Self.advanced.services(downgrades: [], options: [])
            == ["pre_install", "freight_delivery", "installation_network", "security_activation"])
    }

    @Test(arguments: [
        // Bought as an option before: kept, and no longer an option.
        (#"["user_training","security_activation"]"#, ["user_training"], [String]()),
        // Not bought before: the contract never agreed to it, so it is downgraded.
        (#"["user_training"]"#, ["user_training"], ["security_activation"]),
        (#"[]"#, [String](), ["security_activation"]),
    ])
    func storedOptionsAreConverted(_ stored: String, _ options: [String], _ downgrades: [String]) {
        let converted = SecurityActivationDowngrades.converted(stored)
        #expect(converted.options == options)
        #expect(converted.downgrades == downgrades)
    }

    @Test func migrationConvertsExistingContracts() throws {
        let version = SecurityActivationDowngrades.migration.version
        let now = MigrationFixture.now
        let (database, pool) = try MigrationFixture.database(before: version) { connection in
            for (id, options) in [("con_1", #"["security_activation","user_training"]"#), ("con_2", #"["user_training"]"#)] {
                try connection.execute(
                    "INSERT INTO contracts VALUES (?, 'cus_1', '2026-01-01', '2026-12-31', NULL, 0, 'NOK', 'basic', ?, 0, NULL, 1, ?, ?)",
                    [id, options, now, now]
                )
            }
        }
        defer { withExtendedLifetime(database) {} }
        #expect(try Migrator(migrations: Schema.migrations).migrate(pool).contains(version))
        try pool.read { (connection) throws in
            let kept = try #require(try ContractStore.find(connection, id: "con_1", scope: nil))
            #expect(kept.options == ["user_training"] && kept.downgrades == [])
            let downgraded = try #require(try ContractStore.find(connection, id: "con_2", scope: nil))
            #expect(downgraded.options == ["user_training"] && downgraded.downgrades == ["security_activation"])
        }
    }
}
