import Foundation
import Synchronization
import Testing
@testable import ServiceCore

@Suite struct ConnectionTests {
    @Test func poolCreatesParentFolderAndAppliesPragmas() throws {
        let database = try TemporaryDatabase(subfolder: "data/nested")
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool(synchronous: .normal)
        #expect(FileManager.default.fileExists(atPath: database.path))
        try pool.write { (connection) throws in
            #expect(try connection.fetchScalar("PRAGMA journal_mode", as: String.self) == "wal")
            #expect(try connection.fetchScalar("PRAGMA synchronous", as: Int.self) == 1)  // NORMAL
            #expect(try connection.fetchScalar("PRAGMA foreign_keys", as: Int.self) == 1)
            #expect(try connection.fetchScalar("PRAGMA busy_timeout", as: Int.self) == 2_000)
        }
        try pool.read { (connection) throws in
            #expect(try connection.fetchScalar("PRAGMA foreign_keys", as: Int.self) == 1)
        }
        let other = try TemporaryDatabase()
        defer { withExtendedLifetime(other) {} }
        let full = try other.pool()
        try full.write { (connection) throws in #expect(try connection.fetchScalar("PRAGMA synchronous", as: Int.self) == 2) }
    }

    /// Another process committing as fast as it can: both connections of a
    /// pair read the same rows, and keep reading them, whatever it commits.
    @Test func aSnapshotPairSeesOneSnapshot() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try pool.write { try $0.execute("CREATE TABLE t (n INTEGER)") }
        let outsider = try Connection(path: database.path, configuration: DatabaseConfiguration(path: database.path, synchronous: .off))
        let stop = Atomic<Bool>(false)
        let writer = UncheckedSendable(outsider)
        let done = DispatchSemaphore(value: 0)
        Thread {
            // A breath between commits (still hundreds a second): taking the
            // lock back at once starved the pool's BEGIN IMMEDIATE past its
            // busy timeout on a loaded machine.
            while !stop.load(ordering: .sequentiallyConsistent) {
                try? writer.value.execute("INSERT INTO t VALUES (1)")
                usleep(200)
            }
            done.signal()
        }.start()
        defer { stop.store(true, ordering: .sequentiallyConsistent); done.wait() }
        Thread.sleep(forTimeInterval: 0.05)
        for _ in 0..<20 {
            let (first, second, later) = try pool.readSnapshotPair { a, b in
                let first = try a.fetchScalar("SELECT count(*) FROM t", as: Int.self)
                let second = try b.fetchScalar("SELECT count(*) FROM t", as: Int.self)
                Thread.sleep(forTimeInterval: 0.005)
                return (first, second, try b.fetchScalar("SELECT count(*) FROM t", as: Int.self))
            }
            #expect(first == second && second == later)
        }
        let snapshot = try pool.readSnapshotPair { a, _ in try a.fetchScalar("SELECT count(*) FROM t", as: Int.self) }
        // The writer was busy all along: a later read sees more rows. Polled,
        // not slept for a fixed time, so a starved writer thread on a loaded
        // machine delays the test instead of failing it.
        let deadline = Date().addingTimeInterval(10)
        var later = snapshot
        while later <= snapshot, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
            later = try pool.read { try $0.fetchScalar("SELECT count(*) FROM t", as: Int.self) }
        }
        #expect(later > snapshot)
    }

    @Test func typedValuesRoundTrip() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        let text = "Ærlig «sitat» with 'quotes' and \"doubles\" 🖨️"
        let blob: [UInt8] = [0, 1, 2, 255, 0]
        try pool.write { (connection) throws in
            try connection.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")
            try connection.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [Int64.max, 2.5, text, blob, String?.none])
            try connection.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [Int64.min, -0.125, "", [UInt8](), "x"])
        }
        let rows = try pool.read { try $0.fetchAll("SELECT i, r, s, b, n FROM t ORDER BY i DESC") }
        #expect(rows.count == 2)
        #expect(try rows[0].get(0, as: Int64.self) == Int64.max)
        #expect(try rows[0].get(1, as: Double.self) == 2.5)
        #expect(try rows[0].get("s", as: String.self) == text)
        #expect(try rows[0].get("b", as: [UInt8].self) == blob)
        #expect(try rows[0].get("n", as: String?.self) == nil)
        #expect(rows[0]["n"] == .null)
        #expect(try rows[1].get(0, as: Int64.self) == Int64.min)
        #expect(try rows[1].get("n", as: String?.self) == "x")
    }

    @Test func readingTheWrongTypeThrowsInsteadOfTrapping() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        let row = try pool.read { try $0.fetchOne("SELECT NULL AS missing, 'text' AS word, 3000000000 AS big") }
        let values = try #require(row)
        #expect(throws: RowDecodingError.self) { try values.get("missing", as: String.self) }
        #expect(throws: RowDecodingError.self) { try values.get("word", as: Int.self) }
        #expect(throws: RowDecodingError.self) { try values.get("big", as: Int32.self) }
        #expect(throws: RowDecodingError.self) { try values.get("absent", as: Int.self) }
        #expect(throws: RowDecodingError.self) { try values.get(9, as: Int.self) }
        #expect(try values.get("big", as: Int.self) == 3_000_000_000)
        #expect(try values.get("missing", as: String?.self) == nil)
    }

    /// Dates and instants read from a statement's columns in place: NULL is
    /// none, and a number, a real or text of another form is an error naming
    /// the column, never a date.
    @Test func cachedStatementsAreFoundByTheirWholeTextNotItsLength() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try pool.read { connection in
            let one = try connection.cachedStatement("SELECT 1")
            let two = try connection.cachedStatement("SELECT 2")
            #expect(one !== two, "same length, other text: another statement")
            #expect(try connection.fetchScalar("SELECT 2", as: Int.self) == 2)
            #expect(try connection.fetchScalar("SELECT 1", as: Int.self) == 1)
            // The same text in a string of its own storage finds the same statement.
            let rebuilt = ["SELECT", String(1)].joined(separator: " ")
            #expect(try connection.cachedStatement(rebuilt) === one)
            #expect(try connection.cachedStatement("SELECT 10") !== one)
        }
    }

    @Test func datesAndInstantsAreReadInPlaceAndAnythingElseRefused() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try pool.read { connection in
            let cursor = try connection.fetchCursor("""
                SELECT '2026-03-02' AS day, '2026-03-02T10:20:30Z' AS at, NULL AS none, 20260302 AS number, 2.5 AS real,
                    '2026-03-02 ' AS spaced, '2026-03-02T10:20:30' AS unzoned
                """, [])
            #expect(try cursor.advance())
            let row = cursor.current
            #expect(try row.date(0) == LocalDate(year: 2026, month: 3, day: 2))
            // 2026-03-02 is day 20 514 (20 454 for 1 January, then 31 + 28 + 1): 1 772 409 600 s; 10:20:30 is 37 230 s later.
            #expect(try row.instant(1)?.timeIntervalSince1970 == 1_772_409_600 + 37_230)
            #expect(try row.date(2) == nil)
            #expect(try row.instant(2) == nil)
            for column in 3...6 {
                #expect(throws: RowDecodingError.self) { try row.date(column) }
                #expect(throws: RowDecodingError.self) { try row.instant(column) }
            }
            #expect(throws: RowDecodingError.self) { try row.date(7) }
        }
    }

    @Test func decodingErrorsNameTheColumnAndTheExpectedType() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        let row = try #require(try pool.read { try $0.fetchOne("SELECT NULL AS missing, 'text' AS word") })
        func message(_ read: () throws -> Void) -> String? {
            do { try read() } catch { return "\(error)" }
            return nil
        }
        #expect(message { _ = try row.get("missing", as: String.self) } == "column missing (index 0): expected String, found NULL")
        #expect(message { _ = try row.get(1, as: Int64.self) } == "column word (index 1): expected Int64, found 'text'")
        #expect(message { _ = try row.get("absent", as: Int.self) } == "row has no column absent (expected Int)")
    }

    @Test func namedParametersBindByName() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try pool.write { (connection) throws in
            try connection.execute("CREATE TABLE t (a INTEGER, b TEXT, c REAL)")
            let insert = try connection.cachedStatement("INSERT INTO t VALUES (:a, @b, $c)")
            try insert.bind(named: [":a": 7, "@b": "sju", "$c": Double?.none])
            try insert.run()
            #expect(throws: SQLiteError.self) { try insert.bind(named: [":missing": 1]) }
        }
        let row = try #require(try pool.read { try $0.fetchOne("SELECT a, b, c FROM t") })
        #expect(try row.get("a", as: Int.self) == 7)
        #expect(try row.get("b", as: String.self) == "sju")
        #expect(row["c"] == .null)
    }

    @Test func aWriterOutsideThePoolGetsABusyError() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        let impatient = try Connection(path: database.path, configuration: DatabaseConfiguration(path: database.path, busyTimeoutMilliseconds: 50))
        try pool.write { (_) throws in
            do {
                try impatient.executeScript("BEGIN IMMEDIATE")
                Issue.record("took the write lock the pool holds")
            } catch let error as SQLiteError {
                #expect(error.isBusy)
                #expect(error.resultCode == 5)  // SQLITE_BUSY
                #expect(!error.isConstraintViolation)
            }
            // Through its compiled BEGIN, which the failure must leave ready for the next try.
            #expect {
                try impatient.transaction(.immediate) { Issue.record("ran while the pool held the write lock") }
            } throws: { ($0 as? SQLiteError)?.isBusy == true }
            #expect(!impatient.isInTransaction)
        }
        try impatient.transaction(.immediate) { try impatient.execute("CREATE TABLE later (v INTEGER)") }
        try impatient.transaction(.immediate) { try impatient.execute("INSERT INTO later VALUES (1)") }
        #expect(try impatient.fetchScalar("SELECT count(*) FROM later", as: Int.self) == 1)
    }

    @Test func pathsAreNeverReadAsURIs() {
        #expect(Connection.literalFilename("file:service.db?mode=ro") == "./file:service.db?mode=ro")
        #expect(Connection.literalFilename("data/file:service.db") == "data/file:service.db")
        #expect(Connection.literalFilename("/var/lib/service/service.db") == "/var/lib/service/service.db")
    }

    @Test func cachedStatementsAreReusedWithCleanBindings() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try pool.write { (connection) throws in
            let first = try connection.cachedStatement("SELECT ?")
            try first.bind([42])
            let second = try connection.cachedStatement("SELECT ?")
            #expect(first === second)
            #expect(try second.step())
            #expect(second.value(at: 0) == .null)  // bindings were cleared
            #expect(throws: SQLiteError.self) { try connection.execute("SELECT ?", []) }
        }
    }

    @Test func errorsCarryExtendedCodeSQLAndArguments() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try pool.write { try $0.execute("CREATE TABLE u (k TEXT PRIMARY KEY NOT NULL, v INTEGER UNIQUE)") }
        try pool.write { try $0.execute("INSERT INTO u VALUES (?, ?)", ["a", 1]) }
        do {
            try pool.write { try $0.execute("INSERT INTO u VALUES (?, ?)", ["b", 1]) }
            Issue.record("duplicate accepted")
        } catch let error as SQLiteError {
            #expect(error.extendedResultCode == 2067)
            #expect(error.resultCode == 19)
            #expect(error.isUniqueViolation)
            #expect(error.message.contains("UNIQUE constraint failed: u.v"))
            #expect(error.sql == "INSERT INTO u VALUES (?, ?)")
            #expect(error.arguments == "['b', 1]")
            #expect(error.description.contains("2067"))
        }
        #expect(throws: SQLiteError.self) { try pool.write { try $0.execute("SELEC nonsense") } }
        #expect(throws: SQLiteError.self) { try pool.write { try $0.execute("SELECT 1; SELECT 2") } }
    }

    @Test func foreignKeysAreEnforced() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try pool.write { try $0.executeScript("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id));") }
        do {
            try pool.write { try $0.execute("INSERT INTO c VALUES (?)", [7]) }
            Issue.record("orphan accepted")
        } catch let error as SQLiteError {
            #expect(error.isForeignKeyViolation)
        }
    }

    @Test func transactionRollsBackOnThrow() throws {
        struct Abort: Error {}
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try pool.write { try $0.execute("CREATE TABLE t (v INTEGER)") }
        #expect(throws: Abort.self) {
            try pool.write { (connection) throws in
                try connection.execute("INSERT INTO t VALUES (1)")
                throw Abort()
            }
        }
        #expect(try pool.read { try $0.fetchScalar("SELECT count(*) FROM t", as: Int.self) } == 0)
    }

    @Test func writesFromManyThreadsAreSerialised() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool(synchronous: .normal)
        try pool.write { try $0.executeScript("CREATE TABLE counter (n INTEGER); INSERT INTO counter VALUES (0);") }
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<200 {
                try! pool.write { (connection) throws in
                    let n = try connection.fetchScalar("SELECT n FROM counter", as: Int.self)
                    try connection.execute("UPDATE counter SET n = ?", [n + 1])
                }
            }
        }
        #expect(try pool.read { try $0.fetchScalar("SELECT n FROM counter", as: Int.self) } == 1600)
    }

    @Test func readerSeesOneSnapshotWhileAWriterCommits() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try pool.write { try $0.executeScript("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1);") }
        try pool.read { (reader) throws in
            #expect(try reader.fetchScalar("SELECT count(*) FROM t", as: Int.self) == 1)
            try pool.write { try $0.execute("INSERT INTO t VALUES (2)") }
            #expect(try reader.fetchScalar("SELECT count(*) FROM t", as: Int.self) == 1)
        }
        #expect(try pool.read { try $0.fetchScalar("SELECT count(*) FROM t", as: Int.self) } == 2)
    }

    @Test func readersCannotWrite() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        try pool.write { try $0.execute("CREATE TABLE t (v INTEGER)") }
        #expect(throws: SQLiteError.self) { try pool.read { try $0.execute("INSERT INTO t VALUES (1)") } }
    }

    @Test func cursorStreamsRowsAndSurfacesErrors() throws {
        let database = try TemporaryDatabase()
        defer { withExtendedLifetime(database) {} }
        let pool = try database.pool()
        var seen = 0
        try pool.read { (connection) throws in
            let cursor = try connection.fetchCursor(
                "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 10000) SELECT x FROM n")
            try cursor.forEach { (row) throws in
                seen += 1
                #expect(try row.get(0, as: Int.self) == seen)
            }
        }
        #expect(seen == 10_000)
    }
}

@Suite struct DatabasePoolWaitTests {
    /// With one read connection held, a second read waits, and `onWait`
    /// hears of it once, with how long; an uncontended read is not reported.
    @Test func aReadThatWaitsIsReportedOnce() throws {
        let database = try TemporaryDatabase()
        final class Heard: @unchecked Sendable {
            let lock = NSLock()
            var waits: [(DatabasePool.Access, UInt64)] = []
        }
        let heard = Heard()
        let pool = try DatabasePool(configuration: DatabaseConfiguration(path: database.path, readerCount: 1)) { access, nanoseconds in
            heard.lock.withLock { heard.waits.append((access, nanoseconds)) }
        }
        _ = try pool.read { try $0.userVersion() }
        #expect(heard.lock.withLock { heard.waits.isEmpty })
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread {
            _ = try? pool.read { _ in
                holding.signal()
                release.wait()
            }
        }.start()
        holding.wait()
        Thread {
            _ = try? pool.read { try $0.userVersion() }
            done.signal()
        }.start()
        usleep(200_000)  // the second read has been waiting for a while by now
        release.signal()
        done.wait()
        let waits = heard.lock.withLock { heard.waits }
        #expect(waits.count == 1)
        #expect(waits.first?.0 == .read)
        #expect((waits.first?.1 ?? 0) > 0)
    }
}
