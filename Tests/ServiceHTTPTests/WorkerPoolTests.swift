import Glibc
import Synchronization
import Testing
@testable import ServiceHTTP

@Suite struct WorkerPoolTests {
    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func add() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    final class Tracked: Sendable {
        let released: Counter
        init(_ released: Counter) { self.released = released }
        deinit { released.add() }
    }

    /// Under steady load the queue never runs empty; a job done must still
    /// let go of what it captured (a request and its body) at once, not when
    /// the queue next drains.
    @Test func doneJobsReleaseTheirCapturesWhileTheQueueIsBusy() throws {
        let pool = WorkerPool(threadCount: 2)
        defer { pool.shutdown() }
        let released = Counter(), done = Counter(), gate = Counter()
        let total = 400
        for _ in 0..<total {
            let tracked = Tracked(released)
            pool.submit {
                withExtendedLifetime(tracked) { usleep(500) }
                done.add()
                // From half-way on, jobs wait here: the rest stay queued.
                while gate.count == 0 && done.count >= total / 2 { usleep(1_000) }
            }
        }
        while done.count < total / 2 { usleep(1_000) }
        usleep(20_000)
        let releasedWhileBusy = released.count
        gate.add()
        // The jobs waiting at the gate (one per thread) still hold theirs.
        #expect(releasedWhileBusy >= total / 2 - 2, "\(releasedWhileBusy) of \(total / 2) done jobs released")
        while released.count < total { usleep(1_000) }
    }

    /// Jobs are signalled only to idle threads and after the lock is let go;
    /// a wake-up lost that way would leave a job queued for ever. Bursts from
    /// many submitting threads, with pauses that let every worker fall idle
    /// between them, must all run.
    @Test func everyJobSubmittedFromManyThreadsRuns() throws {
        let pool = WorkerPool(threadCount: 3)
        defer { pool.shutdown() }
        let done = Counter(), submitters = Counter()
        let threads = 6, bursts = 200, perBurst = 7
        for index in 0..<threads {
            _ = OSThread(name: "submitter-\(index)") {
                for burst in 0..<bursts {
                    for _ in 0..<perBurst { pool.submit { done.add() } }
                    if burst % 3 == index % 3 { usleep(200) }
                }
                submitters.add()
            }
        }
        let total = threads * bursts * perBurst
        // A lost wake-up leaves the count short for good; 60 s is not a
        // speed goal, only the point at which the test stops waiting.
        var waited = 0
        while (done.count < total || submitters.count < threads) && waited < 60_000 {
            usleep(1_000)
            waited += 1
        }
        #expect(done.count == total, "\(done.count) of \(total) jobs ran")
        // Idle again, one more job still wakes a thread.
        usleep(20_000)
        pool.submit { done.add() }
        waited = 0
        while done.count < total + 1 && waited < 60_000 { usleep(1_000); waited += 1 }
        #expect(done.count == total + 1)
    }

    /// Only an idle thread is signalled: with two of three threads held busy,
    /// a job must still wake the third, and not wait for the busy ones.
    @Test func aJobWakesTheOneIdleThreadWhileTheOthersAreBusy() throws {
        let pool = WorkerPool(threadCount: 3)
        defer { pool.shutdown() }
        let started = Counter(), gate = Counter(), done = Counter()
        for _ in 0..<2 {
            pool.submit {
                started.add()
                while gate.count == 0 { usleep(1_000) }
            }
        }
        var waited = 0
        while started.count < 2 && waited < 60_000 { usleep(1_000); waited += 1 }
        #expect(started.count == 2)
        usleep(20_000)  // the third thread is back in its wait
        pool.submit { done.add() }
        waited = 0
        while done.count == 0 && waited < 60_000 { usleep(1_000); waited += 1 }
        #expect(done.count == 1, "the job waited for a busy thread")
        gate.add()
    }
}
