#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Hands freed memory back to the system: every `interval` it reads the
/// resident set and, when that has grown by more than `slackBytes` since the
/// last look after a trim, calls `Allocator.trim()`. Under load that bounds
/// what the allocator keeps to about one interval's worth of churn; once the
/// server goes idle, the next look returns what the load left. A look costs
/// one read of /proc; a trim a walk of the allocator's free lists.
final class MemoryTrimmer: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let trims = Atomic<Int>(0)

    init(interval: Duration, slackBytes: Int) {
        let nanoseconds = interval.nanoseconds
        OSThread(name: "memory-trimmer") { [self] in
            var baseline = Allocator.residentBytes() ?? 0
            while !stopped.load(ordering: .relaxed) {
                var pause = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
                var left = timespec()
                while nanosleep(&pause, &left) != 0 && errno == EINTR { pause = left }
                guard !stopped.load(ordering: .relaxed), let resident = Allocator.residentBytes() else { continue }
                if resident > baseline + slackBytes {
                    Allocator.trim()
                    trims.add(1, ordering: .relaxed)
                    baseline = Allocator.residentBytes() ?? resident
                } else {
                    baseline = min(baseline, resident)
                }
            }
        }.detach()
    }

    /// How many trims ran, for tests.
    var trimCount: Int { trims.load(ordering: .relaxed) }

    /// The thread ends at its next look; nothing waits for it.
    func stop() { stopped.store(true, ordering: .relaxed) }
}
