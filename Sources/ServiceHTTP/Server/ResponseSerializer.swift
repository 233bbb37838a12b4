import ServiceJSON

/// Writes response heads into a connection's output buffer. The server owns
/// framing, so framing fields set by a handler are replaced, and any name or
/// value that could split the response is refused.
enum ResponseSerializer {
    enum Framing {
        case length(Int)
        case chunked
        /// HTTP/1.0 stream: the body ends when the connection closes.
        case untilClose
    }

    struct InvalidHeader: Error {
        let name: String
    }

    /// Fields only the server may write.
    private static func isOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: return asciiCaseInsensitiveEquals(name, "date")
        case 6: return asciiCaseInsensitiveEquals(name, "server")
        case 10: return asciiCaseInsensitiveEquals(name, "connection") || asciiCaseInsensitiveEquals(name, "keep-alive")
        case 14: return asciiCaseInsensitiveEquals(name, "content-length")
        case 17: return asciiCaseInsensitiveEquals(name, "transfer-encoding")
        default: return false
        }
    }

    static func writeHead(
        status: HTTPStatus,
        headers: HTTPHeaders,
        framing: Framing,
        keepAlive: Bool,
        requestVersion: HTTPVersion,
        date: [UInt8],
        serverName: String,
        into out: inout [UInt8]
    ) throws(InvalidHeader) {
        let start = out.count
        out.append(utf8: "HTTP/1.1 ")
        DecimalDigits.append(status.code, to: &out)
        out.append(ByteClass.sp)
        out.append(utf8: status.reasonPhrase)
        out.append(utf8: "\r\nServer: ")
        out.append(utf8: serverName)
        out.append(utf8: "\r\nDate: ")
        out.append(contentsOf: date)
        out.append(utf8: "\r\n")
        for (name, value) in headers {
            let valid = name.withUTF8Bytes { !$0.isEmpty && $0.allSatisfy(ByteClass.isTChar) }
                && value.withUTF8Bytes { $0.allSatisfy(ByteClass.isFieldValueByte) }
            guard valid else {
                out.removeSubrange(start...)
                throw InvalidHeader(name: name)
            }
            if isOwned(name) { continue }
            out.append(utf8: name)
            out.append(utf8: ": ")
            out.append(utf8: value)
            out.append(utf8: "\r\n")
        }
        let bodyless = status.code == 204 || status.code == 304 || status.code < 200
        switch framing {
        case .length(let length) where !bodyless:
            out.append(utf8: "Content-Length: ")
            DecimalDigits.append(length, to: &out)
            out.append(utf8: "\r\n")
        case .chunked where !bodyless:
            out.append(utf8: "Transfer-Encoding: chunked\r\n")
        default:
            break
        }
        if !keepAlive {
            out.append(utf8: "Connection: close\r\n")
        } else if requestVersion == .http1_0 {
            out.append(utf8: "Connection: keep-alive\r\n")
        }
        out.append(utf8: "\r\n")
    }

    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    static let lastChunk = Array("0\r\n\r\n".utf8)

    static func appendChunk(_ bytes: [UInt8], into out: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        out.append(contentsOf: String(bytes.count, radix: 16).utf8)
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: bytes)
        out.append(contentsOf: "\r\n".utf8)
    }
}
