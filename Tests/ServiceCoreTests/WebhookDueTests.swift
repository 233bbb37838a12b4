import Testing
@testable import ServiceCore

/// The sender is woken by every commit and handed the endpoints `due`
/// returns: one that already has every event is not among them.
@Suite struct WebhookDueTests {
    @Test func anEndpointIsDueOnlyWhileBehindTheOutbox() throws {
        let database = try TemporaryDatabase()
        let pool = try database.pool()
        try Migrator(migrations: Schema.migrations).migrate(pool)
        let endpoint = try pool.write { connection in
            try WebhookStore.create(connection, dealerID: nil, url: "https://hooks.example/in", eventTypes: [.contractCreated],
                                    description: nil, secret: "whsec_test")
        }
        func due() throws -> [String] { try pool.read { try WebhookStore.due($0, nowMilliseconds: 0).due.map(\.id) } }
        #expect(try due() == [])  // created caught up: nothing to send
        let sequence = try pool.write { try EventStore.append($0, .contractCreated, dealerID: nil, resourceID: "con_1", data: .object([])) }
        #expect(try due() == [endpoint.id])
        try pool.write { try WebhookStore.advance($0, endpointID: endpoint.id, through: sequence) }
        #expect(try due() == [])
    }
}
