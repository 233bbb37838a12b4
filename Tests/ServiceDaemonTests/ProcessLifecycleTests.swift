import Foundation
import HTTPTestSupport
import Testing

/// The real binary's life as a supervisor sees it: signals at any moment of
/// start-up, and what a clean stop leaves on disk.
@Suite struct ProcessLifecycleTests {
    /// Whether the process has blocked SIGTERM (bit 14 of SigBlk), which
    /// `serve` does before creating any thread.
    static func blocksSIGTERM(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
              let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << (UInt64(SIGTERM) - 1)) != 0
    }

    /// Starts `serve` and returns once it has blocked the signals, with the
    /// time that took.
    static func startServe(db: String) throws -> DaemonProcess {
        let daemon = try DaemonProcess(["serve", "--port", "0", "--db", db, "--log-level", "warning"])
        let deadline = Date().addingTimeInterval(20)
        while !blocksSIGTERM(daemon.process.processIdentifier) {
            guard daemon.process.isRunning, Date() < deadline else { throw RawClient.ClientError(description: "serve never blocked SIGTERM: \(daemon.stderr)") }
            usleep(200)
        }
        return daemon
    }

    /// 200 SIGTERMs, each at a random moment between `serve` taking the
    /// signals and a little after it first answers: every one is a graceful
    /// stop with status 0, never a death by the signal or a lost signal (a
    /// hang). Before `serve` blocks the signals nothing of ours runs yet.
    @Test func sigtermAtAnyMomentOfStartUpStopsCleanly() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("service.db")
        #expect(try DaemonProcess.run(["migrate", "--db", db]).status == 0)
        // How long start-up takes here, from the mask to the first answer.
        let probe = try Self.startServe(db: db)
        let started = Date()
        let daemon = try DaemonProcess(["serve", "--port", "0", "--db", directory.path("probe.db")])
        try daemon.waitUntilListening()
        daemon.terminate()
        probe.terminate()
        #expect(daemon.wait() == 0)
        #expect(probe.wait() == 0)
        let window = max(Date().timeIntervalSince(started), 0.05) * 1.3
        // Four at a time, 50 rounds: the attempts are independent processes.
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<50 {
                do {
                    let daemon = try Self.startServe(db: db)
                    usleep(UInt32(Double.random(in: 0...window) * 1_000_000))
                    kill(daemon.process.processIdentifier, SIGTERM)
                    let deadline = Date().addingTimeInterval(30)
                    while daemon.process.isRunning && Date() < deadline { usleep(2_000) }
                    let process = daemon.process
                    let reason = process.isRunning ? "hung"
                        : process.terminationReason == .exit ? "exit \(process.terminationStatus)" : "signal \(process.terminationStatus)"
                    outcomes.add(reason, detail: daemon.stderr)
                } catch {
                    outcomes.add("\(error)", detail: "")
                }
            }
        }
        if let failure = outcomes.firstFailure { Issue.record("first failure's stderr:\n\(failure)") }
        #expect(outcomes.counts == ["exit 0": 200])
    }

    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var all: [String: Int] = [:]
        private var failure: String?
        func add(_ outcome: String, detail: String) {
            lock.withLock {
                all[outcome, default: 0] += 1
                if outcome != "exit 0", failure == nil { failure = "\(outcome): \(detail)" }
            }
        }
        var counts: [String: Int] { lock.withLock { all } }
        var firstFailure: String? { lock.withLock { failure } }
    }

    /// A clean stop folds the WAL into the database: nothing is left in
    /// `-wal` after exit 0, however much was written.
    @Test func cleanStopLeavesAnEmptyWAL() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("service.db")
        #expect(try DaemonProcess.run(["migrate", "--db", db]).status == 0)
        let key = try DaemonProcess.run(["keys", "create", "--role", "admin", "--db", db]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let daemon = try DaemonProcess(["serve", "--port", "0", "--db", db])
        try daemon.waitUntilListening()
        let client = try daemon.client()
        for index in 0..<50 {
            let response = try client.request("POST", "/v1/dealers", headers: ["Authorization: Bearer \(key)", "Content-Type: application/json"],
                                              body: #"{"name": "Dealer \#(index)"}"#)
            #expect(response.status == 201)
        }
        let written = (try? FileManager.default.attributesOfItem(atPath: db + "-wal")[.size] as? Int) ?? 0
        #expect(written > 0)  // the writes above are in the WAL until the stop
        daemon.terminate()
        #expect(daemon.wait() == 0)
        let left = (try? FileManager.default.attributesOfItem(atPath: db + "-wal")[.size] as? Int) ?? 0
        #expect(left == 0)
        #expect(try DaemonProcess.run(["keys", "list", "--db", db]).stdout.contains("admin"))
    }
}
