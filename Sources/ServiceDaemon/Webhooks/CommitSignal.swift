import Foundation

/// Rings after every committed write, so the webhook sender looks for new
/// events at once instead of at its next poll. Cheap: a lock and a
/// broadcast; nobody waits on it when webhooks are idle.
final class CommitSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var generation = 0

    func ring() {
        condition.lock()
        generation &+= 1
        condition.broadcast()
        condition.unlock()
    }

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
}
