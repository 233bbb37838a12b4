import Logging
import ServiceHTTP

/// Process-wide logging set-up: swift-log's global handler is the JSON
/// handler over one shared writer.
struct DaemonLogging: Sendable {
    let writer: LogWriter
    let logLevel: Logger.Level

    static func bootstrap(level: LogLevelSetting) -> DaemonLogging {
        let writer = LogWriter()
        let swiftLogLevel = Logger.Level(rawValue: level.rawValue) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label, writer: writer)
            handler.logLevel = swiftLogLevel
            return handler
        }
        return DaemonLogging(writer: writer, logLevel: swiftLogLevel)
    }

    /// Requests are logged at info; below that level they are not logged.
    var accessLog: any AccessLogSink {
        logLevel <= .info ? JSONAccessLog(writer: writer) : DiscardingAccessLog()
    }

    func flush() { writer.flush() }
}

struct DiscardingAccessLog: AccessLogSink {
    func record(_ entry: AccessLogEntry) {}
}
