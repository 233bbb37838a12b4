import Logging

/// Process-wide logging set-up: swift-log's global handler is the JSON
/// handler over one shared writer.
struct DaemonLogging: Sendable {
    let writer: LogWriter

    static func bootstrap(level: LogLevelSetting) -> DaemonLogging {
        let writer = LogWriter()
        let swiftLogLevel = Logger.Level(rawValue: level.rawValue) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label, writer: writer)
            handler.logLevel = swiftLogLevel
            return handler
        }
        return DaemonLogging(writer: writer)
    }

    func flush() { writer.flush() }
}
