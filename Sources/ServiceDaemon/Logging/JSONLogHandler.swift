import ServiceJSON
import Foundation
import Logging
import ServiceHTTP

/// swift-log handler writing one JSON object per line:
/// `{"ts":"2026-11-25T03:43:28.123Z","level":"info","msg":"request",...metadata}`.
struct JSONLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    private let label: String
    private let writer: LogWriter

    init(label: String, writer: LogWriter) {
        self.label = label
        self.writer = writer
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var out = "{\"ts\":\""
        out += Self.timestamp()
        out += "\",\"level\":\""
        out += event.level.rawValue
        out += "\",\"msg\":"
        JSONValue.writeString(event.message.description, to: &out)
        var merged = metadata
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error { merged["error"] = .string(String(describing: error)) }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            out += ","
            JSONValue.writeString(key, to: &out)
            out += ":"
            Self.write(value, to: &out)
        }
        out += "}"
        writer.write(out)
    }

    private static func write(_ value: Logger.Metadata.Value, to out: inout String) {
        switch value {
        case .string(let text):
            JSONValue.writeString(text, to: &out)
        case .stringConvertible(let convertible):
            // Numbers stay numbers so log queries can compare them.
            if let int = convertible as? any BinaryInteger {
                out += String(describing: int)
            } else {
                JSONValue.writeString(convertible.description, to: &out)
            }
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                write(item, to: &out)
            }
            out += "]"
        case .dictionary(let members):
            out += "{"
            for (i, (key, item)) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(key, to: &out)
                out += ":"
                write(item, to: &out)
            }
            out += "}"
        }
    }

    /// RFC 3339 UTC with milliseconds (`2026-11-25T03:43:28.123Z`), written
    /// digit by digit: it is on every log line.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var index = 0
            func put(_ value: Int, digits: Int) {
                var divisor = 1
                for _ in 1..<digits { divisor *= 10 }
                var remaining = value
                while divisor > 0 {
                    buffer[index] = UInt8(48 + remaining / divisor)
                    remaining %= divisor
                    divisor /= 10
                    index += 1
                }
            }
            func mark(_ character: Character) {
                buffer[index] = character.asciiValue!
                index += 1
            }
            put(Int(parts.tm_year) + 1900, digits: 4); mark("-")
            put(Int(parts.tm_mon) + 1, digits: 2); mark("-")
            put(Int(parts.tm_mday), digits: 2); mark("T")
            put(Int(parts.tm_hour), digits: 2); mark(":")
            put(Int(parts.tm_min), digits: 2); mark(":")
            put(Int(parts.tm_sec), digits: 2); mark(".")
            put(now.tv_nsec / 1_000_000, digits: 3); mark("Z")
            return index
        }
    }
}
