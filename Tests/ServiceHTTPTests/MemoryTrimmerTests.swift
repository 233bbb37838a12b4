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
    /// touched and freed with one block kept above them: the heap cannot
    /// shrink from its top, so only a trim returns the pages. Activity stops
    /// before the frees, as when a load ends: the tick after it still trims,
    /// later quiet ticks do not.
    @Test func memoryFreedAfterTheLastRequestIsReturned() throws {
        Allocator.configure(arenas: 0)
        let activity = Atomic<Int>(0)
        let trimmer = MemoryTrimmer(interval: .milliseconds(200)) { activity.load(ordering: .relaxed) }
        defer { trimmer.stop() }
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
        activity.add(1, ordering: .relaxed)
        let touched = Self.residentPages(blocks, size: size)
        #expect(touched > 1_024 * 14)  // 15 whole pages per block, nearly all resident
        for block in blocks { free(block) }
        var left = touched
        for _ in 0..<100 where left > touched / 4 {
            usleep(20_000)
            left = Self.residentPages(blocks, size: size)
        }
        #expect(trimmer.trimCount > 0)
        #expect(left <= touched / 4, "\(touched) pages resident before the trim, \(left) after")
        // Quiet from here on: at most the one tick after activity trims.
        usleep(200_000)
        let settled = trimmer.trimCount
        usleep(700_000)
        #expect(trimmer.trimCount == settled)
    }
}
