import Foundation
import Synchronization
import Testing
@testable import ServiceCore

/// An event loop reads through a connection of its own: it must never wait
/// for the pool's readers, which a long report may hold.
@Suite struct ThreadConnectionTests {
    /// Runs `body` on a new thread; nil if it has not returned within ten
    /// seconds (a read that waits for the pool would never return here).
    static func onAnotherThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) -> T? {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<T?>(nil)
        Thread {
            let value = try? body()
            result.withLock { $0 = value }
            done.signal()
        }.start()
        guard done.wait(timeout: .now() + 10) == .success else { return nil }
        return result.withLock { $0 }
    }

    @Test func aThreadsOwnConnectionAnswersWhileThePoolsOnlyReaderIsHeld() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool(readers: 1)
        try pool.write { try $0.execute("CREATE TABLE t (n INTEGER)"); try $0.execute("INSERT INTO t VALUES (7)") }
        let held = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        Thread {
            _ = try? pool.read { _ in
                held.signal()
                release.wait()
            }
            finished.signal()
        }.start()
        held.wait()
        let seen = Self.onAnotherThread { try pool.readOnThreadConnection { try $0.fetchScalar("SELECT sum(n) FROM t", as: Int.self) } }
        release.signal()
        finished.wait()
        #expect(seen == 7)
    }

    @Test func eachThreadKeepsItsOwnConnectionAndEachReadSeesTheLatestCommit() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool(readers: 1)
        try pool.write { try $0.execute("CREATE TABLE t (n INTEGER)") }
        // The row count, and which connection counted.
        let count = { @Sendable in
            try pool.readOnThreadConnection { (try $0.fetchScalar("SELECT count(*) FROM t", as: Int.self), ObjectIdentifier($0)) }
        }
        // The first thread stays alive while the second reads: a thread
        // that has ended may hand its id, and its connection, to a new one.
        let hold = DispatchSemaphore(value: 0), ended = DispatchSemaphore(value: 0)
        let first = Mutex<[(Int, ObjectIdentifier)]>([])
        Thread {
            if let before = try? count() {
                try? pool.write { try $0.execute("INSERT INTO t VALUES (1)") }
                if let after = try? count() { first.withLock { $0 = [before, after] } }
            }
            hold.wait()
            ended.signal()
        }.start()
        defer { hold.signal(); ended.wait() }
        var firstReads: [(Int, ObjectIdentifier)] = []
        for _ in 0..<1_000 where firstReads.isEmpty {
            usleep(10_000)
            firstReads = first.withLock { $0 }
        }
        try #require(firstReads.count == 2)
        #expect(firstReads[0].0 == 0 && firstReads[1].0 == 1)
        #expect(firstReads[0].1 == firstReads[1].1, "the same thread read through another connection")
        let other = try #require(Self.onAnotherThread { try count() })
        #expect(other.0 == 1)
        #expect(other.1 != firstReads[0].1, "two live threads shared a connection")
    }

    /// A read inside another on the same thread cannot open a second
    /// transaction on the connection: it reads from the pool.
    @Test func aNestedReadGoesToThePool() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool(readers: 1)
        try pool.write { try $0.execute("CREATE TABLE t (n INTEGER)"); try $0.execute("INSERT INTO t VALUES (3)") }
        let (outer, inner, same) = try pool.readOnThreadConnection { outer in
            try pool.readOnThreadConnection { inner in
                (try outer.fetchScalar("SELECT n FROM t", as: Int.self), try inner.fetchScalar("SELECT n FROM t", as: Int.self), outer === inner)
            }
        }
        #expect(outer == 3 && inner == 3)
        #expect(!same)
    }
}
