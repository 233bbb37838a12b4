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
    /// Sixteen hex digits and a hyphen.
    private let prefix: [UInt8]
    private let counter: Atomic<UInt64>

    convenience init() {
        var random = SystemRandomNumberGenerator()
        self.init(random: random.next())
    }

    /// `sequence`: the number before the first id's, for tests.
    init(random: UInt64, sequence: UInt64 = 0) {
        prefix = [UInt8](unsafeUninitializedCapacity: 17) { buffer, count in
            Self.writeHex(random, digits: 16, into: buffer, at: 0)
            buffer[16] = UInt8(ascii: "-")
            count = 17
        }
        counter = Atomic(sequence)
    }

    /// The prefix, then the sequence number in lowercase hex without leading
    /// zeros, written straight into one new string: appending a
    /// `String(radix:)` to a copy of the prefix made two strings a request and
    /// grew one of them.
    func next() -> String {
        let sequence = counter.add(1, ordering: .relaxed).newValue
        let digits = max(1, (67 - sequence.leadingZeroBitCount) / 4)
        return String(unsafeUninitializedCapacity: prefix.count + digits) { buffer in
            let start = buffer.initialize(fromContentsOf: prefix)
            Self.writeHex(sequence, digits: digits, into: buffer, at: start)
            return start + digits
        }
    }

    /// The last `digits` hex digits of `value`, lowercase, from `start`.
    private static func writeHex(_ value: UInt64, digits: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        for index in 0..<digits {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt64(4 * (digits - 1 - index))) & 0xF
            buffer[start + index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
        }
    }
}
