import Foundation
import ServiceCore

/// Keys found valid within the last second, so that authenticating a
/// request usually costs no read transaction of its own. A key revoked
/// through the API stops working at once: the revocation clears the cache
/// after its commit, and a look-up that began before it cannot store its
/// answer. A key revoked by `service-daemon keys revoke` from another
/// process stops working within `lifetime`. Unknown keys are never cached,
/// so a key created by the CLI works at once.
final class AuthenticatedKeys: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (principal: Principal, checkedAt: UInt64)] = [:]
    private var generation = 0
    private let now: @Sendable () -> UInt64
    let lifetimeNanoseconds: UInt64
    /// Beyond this many keys the cache starts again rather than grow.
    static let capacity = 10_000

    init(lifetimeNanoseconds: UInt64 = 1_000_000_000, now: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.lifetimeNanoseconds = lifetimeNanoseconds
        self.now = now
    }

    /// The key's principal: from the cache while fresh, else from `lookUp` (nil: unknown or revoked).
    func principal(for key: String, lookUp: () throws -> Principal?) throws -> Principal? {
        let checkedAt = now()
        lock.lock()
        if let entry = entries[key], checkedAt &- entry.checkedAt < lifetimeNanoseconds {
            lock.unlock()
            return entry.principal
        }
        let started = generation
        lock.unlock()
        guard let principal = try lookUp() else { return nil }
        lock.lock()
        if generation == started {
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (principal, checkedAt)
        }
        lock.unlock()
        return principal
    }

    /// Forgets every key: called after a revocation commits.
    func invalidate() {
        lock.lock()
        generation += 1
        entries.removeAll()
        lock.unlock()
    }
}
