import COpenSSL

/// OpenSSL reports failures on a per-thread queue. Every call whose result
/// is read through `SSL_get_error` must start with the queue empty, and a
/// failure's reasons are read (and so cleared) right after it.
enum OpenSSLErrorQueue {
    static func clear() { ERR_clear_error() }

    /// The queued reasons, oldest first, joined on one line; empties the queue.
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            guard code != 0 else { break }
            if let reason = ERR_reason_error_string(code) {
                let text = String(cString: reason)
                if !reasons.contains(text) { reasons.append(text) }
            } else {
                reasons.append("error \(code)")
            }
        }
        return reasons.isEmpty ? "unknown OpenSSL error" : reasons.joined(separator: "; ")
    }
}
