import Foundation

/// Takes SIGTERM and SIGINT (stop) and SIGHUP (reload) on a thread of its
/// own (`sigwait`) instead of an async-signal context, where almost nothing
/// is safe to do.
///
/// Created first thing in `serve`, before any other thread exists: the
/// signals are blocked in the creating thread and every thread created later
/// inherits that mask, so from then on no signal can take its default action
/// (killing the process without a graceful stop) or be dropped, whenever it
/// arrives. A signal that comes before `onSignal` is kept and handed over
/// when the handler is set, so one sent during start-up stops the daemon as
/// soon as it is serving.
final class SignalWatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: Int32?
    private var handler: (@Sendable (Int32) -> Void)?
    private var delivered = false
    private let each: [Int32]
    private var eachHandler: (@Sendable (Int32) -> Void)?

    /// `signals` stop (the first one counts); every one of `each` calls the
    /// `onEach` handler, and one that comes before it is set is dropped
    /// rather than left to its default action (SIGHUP's would kill).
    init(signals: [Int32], each: [Int32] = []) {
        self.each = each
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals + each { sigaddset(&set, number) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let waiting = set
        let thread = Thread { [self] in
            var set = waiting
            while true {
                var number: Int32 = 0
                guard sigwait(&set, &number) == 0 else { continue }
                received(number)
            }
        }
        thread.name = "signals"
        thread.start()
    }

    /// What the first signal does; called at once if it already came.
    /// Later signals are ignored: a shutdown is already under way.
    func onSignal(_ handler: @escaping @Sendable (Int32) -> Void) {
        let early: Int32? = lock.withLock {
            self.handler = handler
            return pending
        }
        if let early { deliver(early) }
    }

    /// What each of the `each` signals does, every time.
    func onEach(_ handler: @escaping @Sendable (Int32) -> Void) {
        lock.withLock { eachHandler = handler }
    }

    private func received(_ number: Int32) {
        if each.contains(number) {
            lock.withLock { eachHandler }?(number)
            return
        }
        let ready: Bool = lock.withLock {
            if handler == nil, pending == nil { pending = number }
            return handler != nil
        }
        if ready { deliver(number) }
    }

    private func deliver(_ number: Int32) {
        let handler: (@Sendable (Int32) -> Void)? = lock.withLock {
            guard !delivered else { return nil }
            delivered = true
            return self.handler
        }
        handler?(number)
    }
}
