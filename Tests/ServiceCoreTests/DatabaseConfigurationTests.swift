import Foundation
import Testing
@testable import ServiceCore

@Suite struct DatabaseConfigurationTests {
    @Test func defaultsAreDurableAndValid() throws {
        let configuration = DatabaseConfiguration(path: "data/service.db")
        #expect(configuration.synchronous == .full)
        #expect(configuration.busyTimeoutMilliseconds == 5_000)
        #expect(configuration.readerCount == 4)
        #expect(configuration.mmapBytes == 0)
        try configuration.validate()
    }

    @Test(arguments: [
        (DatabaseConfiguration(path: ""), "database path is empty"),
        (DatabaseConfiguration(path: ":memory:"), "database path is :memory:"),
        (DatabaseConfiguration(path: "x.db", readerCount: 0), "reader count is 0"),
        (DatabaseConfiguration(path: "x.db", busyTimeoutMilliseconds: -1), "busy timeout is -1 ms"),
        ({ var c = DatabaseConfiguration(path: "x.db"); c.mmapBytes = -1; return c }(), "memory map is -1 bytes"),
        (DatabaseConfiguration(path: "x.db", busyTimeoutMilliseconds: Int(Int32.max) + 1), "busy timeout is 2147483648 ms"),
    ])
    func invalidSettingsAreNamed(_ configuration: DatabaseConfiguration, _ expected: String) {
        do {
            try configuration.validate()
            Issue.record("accepted \(configuration)")
        } catch {
            #expect("\(error)".hasPrefix("invalid database configuration: \(expected)"))
        }
    }

    /// Every connection, the writer and each reader, maps what it was told
    /// to, and 0 turns the map off.
    @Test(arguments: [0, 8 << 20])
    func everyConnectionMapsTheConfiguredSize(_ bytes: Int) throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        var configuration = DatabaseConfiguration(path: database.path, readerCount: 2)
        configuration.mmapBytes = bytes
        let pool = try DatabasePool(configuration: configuration)
        #expect(try pool.write { try $0.fetchScalar("PRAGMA mmap_size", as: Int.self) } == bytes)
        #expect(try pool.read { try $0.fetchScalar("PRAGMA mmap_size", as: Int.self) } == bytes)
    }

    @Test func poolRefusesAnInvalidConfigurationBeforeTouchingTheDisk() throws {
        let database = try TemporaryDatabase(subfolder: "data")
        defer { withExtendedLifetime(database) {} }
        #expect(throws: DatabaseConfigurationError.self) { try database.pool(readers: 0) }
        #expect(!FileManager.default.fileExists(atPath: database.directory.path))
    }
}
