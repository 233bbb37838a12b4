import Foundation
@testable import ServiceCore

/// A database file in its own temporary folder, removed afterwards.
final class TemporaryDatabase {
    let directory: URL
    let path: String

    init(subfolder: String = "") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("core-tests-\(UUID().uuidString)")
        path = directory.appendingPathComponent(subfolder).appendingPathComponent("test.db").path
    }

    func pool(synchronous: SynchronousMode = .full, readers: Int = 2) throws -> DatabasePool {
        try DatabasePool(configuration: DatabaseConfiguration(path: path, synchronous: synchronous, busyTimeoutMilliseconds: 2_000, readerCount: readers))
    }

    /// A migrated database holding what `script` inserts (`numbers`, a
    /// `WITH` clause of the numbers 1 through `count`, to insert from).
    static func migrated(count: Int, _ script: (_ numbers: String) -> String) throws -> (TemporaryDatabase, DatabasePool) {
        let database = try TemporaryDatabase()
        let pool = try database.pool()
        try Migrator(migrations: Schema.migrations).migrate(pool)
        try pool.write { try $0.executeScript(script("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))")) }
        return (database, pool)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}
