import Foundation

/// A contract's device serials, read like an array of strings but kept as
/// the stored list's bytes (the serials joined by a separator byte, 0x1F,
/// outside a serial's alphabet) and where each ends. A contract may cover
/// thousands of devices, and a page of contracts does little more with them
/// than copy them from the stored list into the response: as an array of
/// strings, making each string and writing it again was half the page.
public struct SerialList: RandomAccessCollection, Sendable, Hashable, ExpressibleByArrayLiteral {
    static let separator: UInt8 = 0x1F
    /// The serials' bytes, each followed by `separator` but the last.
    let bytes: [UInt8]
    /// Where each serial ends in `bytes`; the next starts a byte later.
    let ends: [Int]

    public init(_ serials: some Sequence<String>) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for serial in serials {
            if !ends.isEmpty { bytes.append(Self.separator) }
            bytes.append(contentsOf: serial.utf8)
            ends.append(bytes.count)
        }
        self.init(bytes: bytes, ends: ends)
    }

    public init(arrayLiteral serials: String...) {
        self.init(serials)
    }

    private init(bytes: [UInt8], ends: [Int]) {
        self.bytes = bytes
        self.ends = ends
    }

    /// The serials of a stored list, in byte order: sorted here when they
    /// were not stored in it (the store writes them sorted; this does not
    /// rely on it).
    init(joined: UnsafeBufferPointer<UInt8>) {
        guard let base = joined.baseAddress, !joined.isEmpty else {
            self.init(bytes: [], ends: [])
            return
        }
        // A contract's 2 000 serials are cut on every read of it: memchr finds
        // each separator, memcmp checks the order, and room for serials of
        // eight bytes on average is made up front.
        var ends: [Int] = []
        ends.reserveCapacity(joined.count / 8 + 1)
        var ascending = true
        var previousStart = 0
        var start = 0
        while true {
            let found = memchr(base + start, Int32(Self.separator), joined.count &- start)
            let end = found.map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? joined.count
            if ascending, start > 0 {
                let previousLength = start &- 1 &- previousStart, length = end &- start
                let order = memcmp(base + previousStart, base + start, Swift.min(previousLength, length))
                if order > 0 || (order == 0 && previousLength >= length) { ascending = false }
                previousStart = start
            }
            ends.append(end)
            guard found != nil else { break }
            start = end &+ 1
        }
        let list = SerialList(bytes: Array(joined), ends: ends)
        self = ascending ? list : SerialList(list.sorted(by: Self.bytewise))
    }

    /// SQLite's order for text (BINARY): the serials' order in a contract.
    static func bytewise(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    public subscript(position: Int) -> String {
        String(decoding: bytes[start(of: position)..<ends[position]], as: UTF8.self)
    }

    private func start(of position: Int) -> Int { position == 0 ? 0 : ends[position - 1] + 1 }

    /// The bytes of the serials joined by one separator byte each, and where
    /// each serial ends: for a writer that copies them as they are.
    public func withJoinedBytes<T>(_ body: (UnsafeBufferPointer<UInt8>, [Int]) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { try body($0, ends) }
    }
}
