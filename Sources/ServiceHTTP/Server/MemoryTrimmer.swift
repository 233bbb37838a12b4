#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Hands freed memory back to the system: every `interval` in which the
/// server answered requests, and once more after the first quiet one, it
/// calls `Allocator.trim()`. Under load that bounds what the allocator keeps
/// to about one interval's churn; when the load stops, the memory it left
/// goes within one more interval. A quiet server is not touched.
///
/// Why not trim on growth of the resident set: freed memory the allocator
/// keeps does not move the resident set, so after the peak of a load nothing
/// would ever trigger the trim that returns it.
final class MemoryTrimmer: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let trims = Atomic<Int>(0)

    /// `activity` is any count that moves while the server works (requests
    /// answered).
    init(interval: Duration, activity: @escaping @Sendable () -> Int) {
        let nanoseconds = interval.nanoseconds
        OSThread(name: "memory-trimmer") { [self] in
            var policy = Policy(activity: activity())
            while !stopped.load(ordering: .relaxed) {
                var pause = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
                var left = timespec()
                while nanosleep(&pause, &left) != 0 && errno == EINTR { pause = left }
                guard !stopped.load(ordering: .relaxed) else { return }
                if policy.tick(activity: activity()) {
                    Allocator.trim()
                    trims.add(1, ordering: .relaxed)
                }
            }
        }.detach()
    }

    /// Whether a tick trims: when the activity count moved since the last
    /// tick, and on the tick after the last such one, because the last
    /// requests' memory was freed after they were counted.
    struct Policy {
        private var seen: Int
        private var busy = false

        init(activity: Int) { seen = activity }

        mutating func tick(activity: Int) -> Bool {
            let wasBusy = busy
            busy = activity != seen
            seen = activity
            return busy || wasBusy
        }
    }

    /// How many trims ran, for tests.
    var trimCount: Int { trims.load(ordering: .relaxed) }

    /// The thread ends at its next tick; nothing waits for it.
    func stop() { stopped.store(true, ordering: .relaxed) }
}
