#if canImport(Glibc)
import Glibc
#endif

/// Proof that the process running a year's billing is alive: a write lock
/// on byte `year` of a file beside the database (`<db>-billing.lock`), held
/// for as long as the run is `running`. The kernel drops the lock with the
/// process however it ends (kill -9 included), so a `running` row whose
/// year nobody holds belongs to a process that died, and may be removed at
/// once instead of blocking the year.
///
/// Open-file-description locks (F_OFD_SETLK), not classic POSIX ones:
/// those belong to the process, so two runs in one daemon would not see
/// each other's lock; these belong to the open file and conflict within a
/// process as across processes.
public final class BillingRunOwner: @unchecked Sendable {
    private let descriptor: Int32

    /// The lock file of a database.
    public static func lockPath(database path: String) -> String { path + "-billing.lock" }

    /// Takes the year, or nil when a live run holds it.
    public static func claim(database path: String, year: Int) throws -> BillingRunOwner? {
        let descriptor = open(lockPath(database: path), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SystemError(call: "open \(lockPath(database: path))", code: errno) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(year)
        lock.l_len = 1
        lock.l_pid = 0  // required by OFD locks
        guard fcntl(descriptor, Self.setLockOFD, &lock) == 0 else {
            let code = errno
            close(descriptor)
            if code == EAGAIN || code == EACCES { return nil }
            throw SystemError(call: "fcntl(F_OFD_SETLK) on \(lockPath(database: path))", code: code)
        }
        return BillingRunOwner(descriptor: descriptor)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Closing the file releases the lock.
    deinit { close(descriptor) }

    /// F_OFD_SETLK from <fcntl.h> (Linux 3.15), which Glibc's module hides
    /// without _GNU_SOURCE.
    private static let setLockOFD: Int32 = 37

    public struct SystemError: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        public var description: String { "\(call): \(String(cString: strerror(code)))" }
    }
}
