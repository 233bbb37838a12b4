import COpenSSL
import Foundation
import Glibc

/// One HTTP/1.1 connection to a webhook receiver, kept open across
/// requests while the receiver allows it. Blocking, on the caller's
/// thread (a sender thread of its own, never an event loop or a worker);
/// every step is bounded by the request's deadline.
public final class OutboundConnection {
    private let fd: Int32
    private var ssl: OpaquePointer?
    private let hostHeader: String
    private var input: [UInt8] = []
    public private(set) var isReusable = true

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public struct Response: Sendable {
        public let status: Int
    }

    /// Connects to `address` (already checked against the policy) for `target`.
    public init(target: OutboundPolicy.Target, address: IPAddress, tls: OutboundTLS?, deadline: UInt64) throws {
        let family = address.isV4 ? AF_INET : AF_INET6
        fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket: \(String(cString: strerror(errno)))") }
        let defaultPort = target.secure ? 443 : 80
        let host = address.isV4 || IPAddress(target.host) == nil ? target.host : "[\(target.host)]"
        hostHeader = target.port == defaultPort ? host : "\(host):\(target.port)"
        do {
            try connectWithin(address: address, port: target.port, deadline: deadline)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if target.secure {
                guard let tls else { throw Failure("no TLS context for an https endpoint") }
                try setTimeouts(deadline)
                ssl = try tls.connect(fd: fd, host: target.host, isLiteral: IPAddress(target.host) != nil)
            }
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    deinit {
        if let ssl {
            SSL_shutdown(ssl)
            SSL_free(ssl)
        }
        Glibc.close(fd)
    }

    private func connectWithin(address: IPAddress, port: Int, deadline: UInt64) throws {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        var result: Int32
        if address.isV4 {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &socketAddress.sin_addr) { $0.copyBytes(from: address.bytes) }
            result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        } else {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &socketAddress.sin6_addr) { $0.copyBytes(from: address.bytes) }
            result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
        if result != 0 {
            guard errno == EINPROGRESS else { throw Failure("connect to \(address): \(String(cString: strerror(errno)))") }
            var poll = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard Glibc.poll(&poll, 1, Self.remainingMilliseconds(deadline)) == 1 else { throw Failure("connect to \(address): timed out") }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { throw Failure("connect to \(address): \(String(cString: strerror(error)))") }
        }
        _ = fcntl(fd, F_SETFL, flags)
    }

    static func remainingMilliseconds(_ deadline: UInt64) -> Int32 {
        let now = DispatchTime.now().uptimeNanoseconds
        return now >= deadline ? 0 : Int32(min((deadline - now) / 1_000_000 + 1, UInt64(Int32.max)))
    }

    /// Blocking reads and writes give up at the deadline.
    private func setTimeouts(_ deadline: UInt64) throws {
        let milliseconds = Int(Self.remainingMilliseconds(deadline))
        guard milliseconds > 0 else { throw Failure("timed out") }
        var timeout = timeval(tv_sec: milliseconds / 1000, tv_usec: Int((milliseconds % 1000) * 1000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// POSTs `body` and reads the answer's status, draining its body so the
    /// connection can carry the next request.
    public func post(path: String, headers: [(String, String)], body: [UInt8], deadline: UInt64) throws -> Response {
        var head = "POST \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nUser-Agent: service-daemon-webhooks\r\n"
        head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try send(Array(head.utf8) + body, deadline: deadline)
        return try readResponse(deadline: deadline)
    }

    private func send(_ bytes: [UInt8], deadline: UInt64) throws {
        var offset = 0
        while offset < bytes.count {
            try setTimeouts(deadline)
            let written = bytes[offset...].withUnsafeBytes { chunk -> Int in
                if let ssl { return Int(SSL_write(ssl, chunk.baseAddress, Int32(chunk.count))) }
                return Glibc.send(fd, chunk.baseAddress, chunk.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw Failure(written == 0 ? "connection closed" : "send failed or timed out") }
            offset += written
        }
    }

    /// More bytes into `input`; false at end of stream.
    private func fill(deadline: UInt64) throws -> Bool {
        try setTimeouts(deadline)
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let count = chunk.withUnsafeMutableBytes { buffer -> Int in
            if let ssl { return Int(SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))) }
            return recv(fd, buffer.baseAddress, buffer.count, 0)
        }
        if count > 0 {
            input += chunk[0..<count]
            return true
        }
        if count == 0 || ssl != nil && SSL_get_error(ssl, Int32(count)) == SSL_ERROR_ZERO_RETURN { return false }
        throw Failure(errno == EAGAIN || errno == EWOULDBLOCK ? "no answer within the time allowed" : "receive failed")
    }

    private static let maxHead = 16_384
    private static let maxBody = 1 << 20

    private func readResponse(deadline: UInt64) throws -> Response {
        let terminator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            headEnd = input.firstRange(of: terminator)?.upperBound
            if headEnd == nil {
                guard input.count < Self.maxHead else { throw Failure("response head too large") }
                guard try fill(deadline: deadline) else { throw Failure("connection closed before a response") }
            }
        }
        let head = String(decoding: input[..<headEnd!], as: UTF8.self)
        input.removeFirst(headEnd!)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: true)
        let statusParts = lines.first?.split(separator: " ", maxSplits: 2) ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]), (100...599).contains(status) else {
            throw Failure("not an HTTP/1.x response")
        }
        var length: Int?
        var chunked = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces).lowercased()
            if name == "content-length" { length = Int(value) }
            if name == "transfer-encoding" { chunked = value.hasSuffix("chunked") }
            if name == "connection" && value.contains("close") { isReusable = false }
        }
        if statusParts[0] == "HTTP/1.0" { isReusable = false }
        if chunked {
            try skipChunkedBody(deadline: deadline)
        } else if let length {
            guard length <= Self.maxBody else { isReusable = false; return Response(status: status) }
            while input.count < length {
                guard try fill(deadline: deadline) else { throw Failure("connection closed inside the response body") }
            }
            input.removeFirst(length)
        } else if status >= 200 && status != 204 && status != 304 {
            isReusable = false  // a body until close: not worth waiting for
        }
        return Response(status: status)
    }

    private func skipChunkedBody(deadline: UInt64) throws {
        var skipped = 0
        while true {
            var lineEnd = input.firstRange(of: [13, 10])
            while lineEnd == nil {
                guard input.count < 1_024, try fill(deadline: deadline) else { throw Failure("bad chunked response") }
                lineEnd = input.firstRange(of: [13, 10])
            }
            let sizeText = String(decoding: input[..<lineEnd!.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else { throw Failure("bad chunk size") }
            input.removeFirst(lineEnd!.upperBound)
            skipped += size
            guard skipped <= Self.maxBody else { isReusable = false; return }
            // The chunk and its CRLF; after the last chunk, an empty trailer line.
            while input.count < size + 2 {
                guard try fill(deadline: deadline) else { throw Failure("connection closed inside the response body") }
            }
            input.removeFirst(size + 2)
            if size == 0 { return }
        }
    }
}
