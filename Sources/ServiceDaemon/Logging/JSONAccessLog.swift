import ServiceJSON
import ServiceHTTP

/// Writes access-log entries as JSON lines in the same shape as the other
/// log lines (`ts`, `level`, `msg`, then fields), formatted directly.
struct JSONAccessLog: AccessLogSink {
    let writer: LogWriter

    func record(_ entry: AccessLogEntry) {
        var line = ""
        line.reserveCapacity(256)
        line += "{\"ts\":\""
        line += JSONLogHandler.timestamp()
        line += "\",\"level\":\"info\",\"msg\":\"request\",\"request_id\":"
        JSONValue.writeString(entry.requestID, to: &line)
        line += ",\"method\":\""
        line += entry.method.rawValue
        line += "\",\"path\":"
        JSONValue.writeString(entry.path, to: &line)
        if let route = entry.route {
            line += ",\"route\":"
            JSONValue.writeString(route, to: &line)
        }
        line += ",\"status\":"
        line += String(entry.status)
        line += ",\"duration_us\":"
        line += String(entry.durationMicroseconds)
        line += ",\"bytes_in\":"
        line += String(entry.bytesIn)
        line += ",\"bytes_out\":"
        line += String(entry.bytesOut)
        if let keyID = entry.keyID {
            line += ",\"key_id\":"
            JSONValue.writeString(keyID, to: &line)
        }
        if let role = entry.role {
            line += ",\"role\":"
            JSONValue.writeString(role, to: &line)
        }
        line += ",\"remote\":\""
        line += entry.remoteAddress
        line += "\"}"
        writer.write(line)
    }
}
