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

    deinit { try? FileManager.default.removeItem(at: directory) }
}
