import Foundation

/// Where `bill` writes its lines, buffered: one write per line would be a
/// system call per billed line. A file it creates, or standard output.
final class LineFile {
    private let handle: FileHandle
    private let ownsHandle: Bool
    private var buffer: [UInt8] = []
    static let flushAt = 1 << 16

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        ownsHandle = true
        buffer.reserveCapacity(Self.flushAt + 4_096)
    }

    /// Standard output, flushed but never closed.
    init(standardOutput: Void) {
        handle = FileHandle.standardOutput
        ownsHandle = false
        buffer.reserveCapacity(Self.flushAt + 4_096)
    }

    /// Appends with `write`, writing the buffer out once it is full.
    func append(_ write: (inout [UInt8]) -> Void) throws {
        write(&buffer)
        if buffer.count >= Self.flushAt { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        if ownsHandle { try handle.close() }
    }
}
