import Foundation
import ServiceHTTP

/// An access-log sink that keeps every entry, for tests that read what the
/// log would have said.
public final class RecordingAccessLog: AccessLogSink, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [AccessLogEntry] = []

    public init() {}

    public func record(_ entry: AccessLogEntry) { lock.withLock { stored.append(entry) } }

    public var entries: [AccessLogEntry] { lock.withLock { stored } }
}
