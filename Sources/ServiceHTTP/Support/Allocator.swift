#if canImport(Glibc)
import Glibc
#endif
import CLinuxSystem

/// glibc's allocator, tuned for a server whose threads pass buffers to one
/// another (an event loop reads a body, a worker parses it and writes the
/// answer, the loop frees it). With glibc's defaults, measured in
/// BENCHMARKS.md, 50 concurrent uploaders left hundreds of MB freed but kept:
/// up to 8 arenas per core each holding its own free memory, and a dynamic
/// mmap threshold that, once a large buffer is freed, serves the next large
/// ones from the arenas, where freed space is only returned from the top.
public enum Allocator {
    /// Buffers from this size up are mapped on their own and unmapped when
    /// freed, whatever was freed before.
    public static let mmapThresholdBytes: Int32 = 128 * 1024

    /// `arenas`: the most malloc arenas (M_ARENA_MAX); 0 keeps glibc's
    /// default. Fixes the mmap and trim thresholds, which also turns off
    /// glibc's raising them after each large free. Call before threads start.
    public static func configure(arenas: Int) {
        if arenas > 0 { _ = mallopt(Int32(CLS_M_ARENA_MAX), Int32(arenas)) }
        _ = mallopt(Int32(CLS_M_MMAP_THRESHOLD), mmapThresholdBytes)
        _ = mallopt(Int32(CLS_M_TRIM_THRESHOLD), mmapThresholdBytes)
    }

    /// Returns free memory inside every arena to the system (malloc_trim(0)
    /// releases whole free pages anywhere in a heap, not only at its top).
    public static func trim() {
        _ = malloc_trim(0)
    }

    /// The process's resident set in bytes (`/proc/self/statm`), or nil
    /// where that cannot be read.
    public static func residentBytes() -> Int? {
        let fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = (0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64)
        return withUnsafeMutableBytes(of: &buffer) { bytes -> Int? in
            let count = read(fd, bytes.baseAddress, bytes.count)
            guard count > 0 else { return nil }
            // "size resident shared ...": the second field, in pages.
            var field = 0, pages = 0
            for byte in bytes.prefix(count) {
                if byte == UInt8(ascii: " ") {
                    field += 1
                    if field == 2 { break }
                } else if field == 1, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    pages = pages * 10 + Int(byte - UInt8(ascii: "0"))
                }
            }
            return field >= 1 ? pages * Int(sysconf(Int32(_SC_PAGESIZE))) : nil
        }
    }
}
