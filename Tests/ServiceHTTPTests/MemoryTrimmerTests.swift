import Glibc
import Synchronization
import Testing
@testable import ServiceHTTP

@Suite struct MemoryTrimmerTests {
    @Test func residentSetIsRead() throws {
        let resident = try #require(Allocator.residentBytes())
        #expect(resident > 1 << 20)
        #expect(resident < 1 << 40)
    }

    /// Resident pages wholly inside the blocks (mincore): a measure of these
    /// blocks alone, whatever other tests allocate meanwhile.
    static func residentPages(_ blocks: [UnsafeMutableRawPointer], size: Int) -> Int {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var resident = 0
        var vector = [UInt8](repeating: 0, count: size / page + 1)
        for block in blocks {
            let first = (Int(bitPattern: block) + page - 1) / page * page
            let end = (Int(bitPattern: block) + size) / page * page
            guard end > first, mincore(UnsafeMutableRawPointer(bitPattern: first), end - first, &vector) == 0 else { continue }
            resident += vector.prefix((end - first) / page).filter { $0 & 1 == 1 }.count
        }
        return resident
    }

    /// 64 MiB in 64 KiB blocks (below the mmap threshold, so from the heap),
    /// touched, then freed with one block kept above them: the heap cannot
    /// shrink from its top, so only a trim returns their pages.
    @Test func trimReturnsFreedPagesInsideTheHeap() throws {
        Allocator.configure(arenas: 0)
        let size = 64 * 1024
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<1_024 {
            let block = malloc(size)!
            memset(block, 1, size)
            blocks.append(block)
        }
        let pin = malloc(size)!
        memset(pin, 1, size)
        defer { free(pin) }
        let touched = Self.residentPages(blocks, size: size)
        #expect(touched > 1_024 * 14)  // 15 whole pages per block, nearly all resident
        for block in blocks { free(block) }
        Allocator.trim()
        let left = Self.residentPages(blocks, size: size)
        #expect(left <= touched / 4, "\(touched) pages resident before the trim, \(left) after")
    }

    /// Activity counts seen at successive ticks, and whether each trims: while
    /// the count moves, and one tick after it stops; a quiet server never.
    @Test(arguments: [
        ([0, 0, 0], [false, false, false]),
        ([1, 2, 3, 3, 3], [true, true, true, true, false]),
        ([5, 5, 6, 6, 6, 9, 9], [true, true, true, true, false, true, true]),
    ])
    func trimsWhileBusyAndOnceAfter(_ counts: [Int], _ trims: [Bool]) {
        var policy = MemoryTrimmer.Policy(activity: 0)
        #expect(counts.map { policy.tick(activity: $0) } == trims)
    }

    /// The thread: activity makes it trim, within a few ticks however loaded
    /// the machine is.
    @Test func trimmerThreadTrimsAfterActivity() throws {
        let activity = Atomic<Int>(0)
        let trimmer = MemoryTrimmer(interval: .milliseconds(50)) { activity.load(ordering: .relaxed) }
        defer { trimmer.stop() }
        for _ in 0..<500 where trimmer.trimCount == 0 {
            activity.add(1, ordering: .relaxed)  // requests keep arriving
            usleep(10_000)
        }
        #expect(trimmer.trimCount > 0)
    }
}
