import Foundation
import Glibc
import Synchronization
import Testing
@testable import ServiceHTTP
import HTTPTestSupport

/// GET handlers run on the reader pool, every other method on the worker
/// pool: a queue of writes waiting for the database never takes the
/// threads reads run on.
@Suite struct PoolPlacementTests {
    final class Gate: Sendable {
        private let open = Atomic<Bool>(false)
        let entered = Atomic<Int>(0)
        func release() { open.store(true, ordering: .relaxed) }
        func pass() {
            entered.add(1, ordering: .relaxed)
            while !open.load(ordering: .relaxed) { usleep(1_000) }
        }
    }

    /// The name of the thread running the handler, as the kernel knows it.
    static func threadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func placementRoutes(_ router: inout Router, gate: Gate) {
        router.get("/thread") { _ in .json(.ok, #"{"thread":"\#(PoolPlacementTests.threadName())"}"#) }
        router.post("/thread") { _ in .json(.ok, #"{"thread":"\#(PoolPlacementTests.threadName())"}"#) }
        router.post("/hold") { _ in
            gate.pass()
            return .json(.ok, #"{"held":true}"#)
        }
    }

    @Test func readsRunOnReadersAndEverythingElseOnWorkers() throws {
        let gate = Gate()
        let server = try TestServer(configure: { $0.readerCount = 2; $0.workerCount = 3 }) {
            Self.placementRoutes(&$0, gate: gate)
        }
        let client = try server.client()
        for _ in 0..<4 {
            #expect(try client.request("GET", "/thread").text.hasPrefix(#"{"thread":"reader-"#))
            #expect(try client.request("HEAD", "/thread").status == 200)
            #expect(try client.request("POST", "/thread", body: "").text.hasPrefix(#"{"thread":"worker-"#))
        }
        gate.release()
    }

    /// Handlers placed on the event loop know it (their database reads use
    /// the loop's own connection); handlers on the pools and other threads do not.
    @Test func onlyTheLoopsThreadsAreMarkedAsLoops() throws {
        let server = try TestServer(routes: { router in
            router.get("/on-loop", placement: .eventLoop) { _ in .json(.ok, #"{"loop":\#(EventLoopThread.isCurrent)}"#) }
            router.get("/on-reader") { _ in .json(.ok, #"{"loop":\#(EventLoopThread.isCurrent)}"#) }
            router.post("/on-worker") { _ in .json(.ok, #"{"loop":\#(EventLoopThread.isCurrent)}"#) }
        })
        let client = try server.client()
        for _ in 0..<3 {
            #expect(try client.request("GET", "/on-loop").text == #"{"loop":true}"#)
            #expect(try client.request("GET", "/on-reader").text == #"{"loop":false}"#)
            #expect(try client.request("POST", "/on-worker", body: "").text == #"{"loop":false}"#)
        }
        #expect(!EventLoopThread.isCurrent)
    }

    /// One worker, one reader: with every worker held by a write, reads are
    /// still answered; the held write completes once let go.
    @Test func aHeldWriteDoesNotHoldUpReads() throws {
        let gate = Gate()
        let server = try TestServer(configure: { $0.readerCount = 1; $0.workerCount = 1 }) {
            Self.placementRoutes(&$0, gate: gate)
        }
        let writer = try server.client(timeout: 10)
        try writer.send("POST /hold HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        var waited = 0
        while gate.entered.load(ordering: .relaxed) == 0 && waited < 10_000 { usleep(1_000); waited += 1 }
        #expect(gate.entered.load(ordering: .relaxed) == 1)
        let reader = try server.client(timeout: 5)
        for _ in 0..<3 {
            #expect(try reader.request("GET", "/sleep?ms=1").status == 200)
        }
        var pending = pollfd(fd: writer.fd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&pending, 1, 0) == 0, "the held write answered before it was let go")
        gate.release()
        #expect(try writer.readResponse().text == #"{"held":true}"#)
    }
}
