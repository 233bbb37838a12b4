#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A deliberately dumb HTTP client over a blocking socket, so tests control
/// every byte on the wire (pipelining, bad framing, slow senders).
public final class RawClient {
    public let fd: Int32
    private var buffer: [UInt8] = []

    /// Replaces the socket's recv/send (e.g. with a TLS session over `fd`):
    /// each returns a byte count, 0 for end of stream, or a negative number.
    public struct Channel {
        public let receive: (UnsafeMutableRawBufferPointer) -> Int
        public let send: (UnsafeRawBufferPointer) -> Int
        public init(receive: @escaping (UnsafeMutableRawBufferPointer) -> Int, send: @escaping (UnsafeRawBufferPointer) -> Int) {
            self.receive = receive
            self.send = send
        }
    }

    public var channel: Channel?

    public struct Response {
        public let status: Int
        public let headers: [(String, String)]
        public let body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        public var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        }
    }

    public struct ClientError: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public init(port: Int, host: String = "127.0.0.1", timeout: Double = 5) throws {
        let isV6 = host.contains(":")
        fd = socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket failed") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        if isV6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        // Not closed here: a class initializer that throws once every stored
        // property is set still runs `deinit`, and a second close could shut
        // a descriptor another test's thread has been given meanwhile.
        guard result == 0 else { throw ClientError(description: "connect failed: errno \(errno)") }
    }

    deinit { if fd >= 0 { close(fd) } }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { channel?.send($0) ?? Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ClientError(description: "send failed: errno \(errno)") }
            offset += n
        }
    }

    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    private func receive(_ chunk: UnsafeMutableRawBufferPointer) -> Int {
        channel?.receive(chunk) ?? recv(fd, chunk.baseAddress, chunk.count, 0)
    }

    /// Reads more bytes; false on EOF or error (timeout included).
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { receive($0) }
        guard n > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// True when the server has closed the connection (EOF or reset) with no
    /// further bytes pending.
    public func isClosedByServer() -> Bool {
        if !buffer.isEmpty { return false }
        var chunk = [UInt8](repeating: 0, count: 1024)
        let n = chunk.withUnsafeMutableBytes { receive($0) }
        if n > 0 { buffer.append(contentsOf: chunk[0..<n]); return false }
        return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
    }

    /// Reads everything until the server closes.
    public func readToEnd() -> [UInt8] {
        while fill() {}
        defer { buffer = [] }
        return buffer
    }

    private func line() throws -> String {
        while true {
            if let index = buffer.firstIndex(of: 0x0A), index > 0, buffer[index - 1] == 0x0D {
                let text = String(decoding: buffer[0..<(index - 1)], as: UTF8.self)
                buffer.removeFirst(index + 1)
                return text
            }
            guard fill() else { throw ClientError(description: "connection ended before a full line") }
        }
    }

    private func bytes(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard fill() else { throw ClientError(description: "connection ended inside a body") }
        }
        let out = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return out
    }

    /// Reads one response. `head: true` for responses to HEAD (no body).
    public func readResponse(head: Bool = false) throws -> Response {
        let statusLine = try line()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else {
            throw ClientError(description: "bad status line: \(statusLine)")
        }
        var headers: [(String, String)] = []
        while true {
            let field = try line()
            if field.isEmpty { break }
            guard let colon = field.firstIndex(of: ":") else { throw ClientError(description: "bad header: \(field)") }
            headers.append((String(field[..<colon]), field[field.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let response = Response(status: status, headers: headers, body: [])
        if head || status == 204 || status == 304 || status < 200 { return response }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            return Response(status: status, headers: headers, body: try bytes(length))
        }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            var body: [UInt8] = []
            while true {
                let sizeLine = try line()
                guard let size = Int(sizeLine, radix: 16) else { throw ClientError(description: "bad chunk size \(sizeLine)") }
                if size == 0 {
                    while try !line().isEmpty {}
                    break
                }
                body += try bytes(size)
                guard try line().isEmpty else { throw ClientError(description: "chunk not followed by CRLF") }
            }
            return Response(status: status, headers: headers, body: body)
        }
        return Response(status: status, headers: headers, body: readToEnd())
    }

    /// Sends a request and reads its response.
    public func request(_ method: String, _ target: String, headers: [String] = [], body: String? = nil) throws -> Response {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: test\r\n"
        for header in headers { text += header + "\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + (body ?? "")
        try send(text)
        return try readResponse(head: method == "HEAD")
    }
}
