import Synchronization

/// Gives every request a correlation id and echoes it as `X-Request-Id`. A
/// caller-supplied id is kept when it is short and made of safe characters
/// (it ends up in logs); otherwise one is generated.
public struct RequestIDMiddleware: Middleware {
    public static let headerName = "X-Request-Id"
    private let generator = RequestIDGenerator()

    public init() {}

    public func handle(_ request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
        var request = request
        if let supplied = request.headers[Self.headerName], Self.isAcceptable(supplied) {
            request.id = supplied
        } else {
            request.id = generator.next()
        }
        let id = request.id
        return try next(request).final { response in
            var response = response
            response.headers.set(Self.headerName, id)
            return response
        }
    }

    static func isAcceptable(_ id: String) -> Bool {
        let bytes = id.utf8
        return (1...128).contains(bytes.count) && bytes.allSatisfy { byte in
            ByteClass.isTChar(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "/")
        }
    }
}

/// Unique ids without a syscall per request: a random per-process prefix
/// and a counter.
final class RequestIDGenerator: Sendable {
    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    init() {
        var random = SystemRandomNumberGenerator()
        let value = random.next() as UInt64
        let hex = String(value, radix: 16)
        prefix = String(repeating: "0", count: 16 - hex.count) + hex + "-"
    }

    func next() -> String {
        let sequence = counter.add(1, ordering: .relaxed).newValue
        var id = prefix
        id.append(String(sequence, radix: 16))
        return id
    }
}
