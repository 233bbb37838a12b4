import Foundation

/// Rings after every committed write, so the webhook sender looks for new
/// events at once instead of at its next poll. Cheap: a lock and a
/// broadcast; nobody waits on it when webhooks are idle.
final class CommitSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var generation = 0

    func ring() { bump(\.generation) }

    var current: Int {
        condition.lock()
        defer { condition.unlock() }
        return generation
    }

    /// Waits until the generation moves past `seen` or `until` passes (or
    /// `stop` is true); returns the generation then.
    func wait(after seen: Int, until deadline: Date) -> Int {
        condition.lock()
        defer { condition.unlock() }
        while generation == seen && Date() < deadline {
            _ = condition.wait(until: deadline)
        }
        return generation
    }

    private var nudges = 0

    /// Wakes the waiters that take nudges (`wait(after:nudgedAfter:until:)`)
    /// and no other: news for one of them (a newly parked long poll) that is
    /// no commit, so the breach watcher and the webhook sender sleep on.
    func nudge() { bump(\.nudges) }

    private func bump(_ counter: ReferenceWritableKeyPath<CommitSignal, Int>) {
        condition.lock()
        self[keyPath: counter] &+= 1
        condition.broadcast()
        condition.unlock()
    }

    /// The commit generation and the nudge count now.
    var state: (generation: Int, nudges: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (generation, nudges)
    }

    /// As `wait(after:until:)`, and also returns on a nudge after `nudgedAfter`.
    func wait(after seen: Int, nudgedAfter: Int, until deadline: Date) {
        condition.lock()
        defer { condition.unlock() }
        while generation == seen && nudges == nudgedAfter && Date() < deadline {
            _ = condition.wait(until: deadline)
        }
    }
}
