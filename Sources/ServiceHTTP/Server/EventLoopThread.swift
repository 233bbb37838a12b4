#if canImport(Glibc)
import Glibc
#endif

/// Whether the calling thread is one of the server's event loops. Code that
/// handlers share whatever their placement (a database read) asks, so that
/// on a loop it never waits for a resource the pools' threads hold.
public enum EventLoopThread {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()

    public static var isCurrent: Bool { pthread_getspecific(key) != nil }

    /// Called once by each loop's thread before it serves.
    static func markCurrent() {
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
    }
}
