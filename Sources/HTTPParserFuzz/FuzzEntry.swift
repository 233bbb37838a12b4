import ServiceHTTP

/// Feeds fuzzer input to the request decoder three ways (whole, split at a
/// point chosen by the input, byte by byte) and checks they agree: the
/// decoder must never crash, never accept more than it was given, and give
/// the same verdict however the bytes arrive.
enum RequestDecoderFuzz {
    struct Verdict: Equatable {
        var messages: [[UInt8]] = []
        var error: HTTPParseError?
    }

    static func run(_ bytes: [UInt8]) {
        var limits = ParserLimits()
        limits.maxBodyBytes = 64 * 1024
        limits.maxHeaderBytes = 4 * 1024
        limits.maxRequestTargetBytes = 1024
        let whole = decode([bytes[...]], limits: limits)
        let split = bytes.isEmpty ? 0 : Int(bytes[0]) % bytes.count
        let halves = decode([bytes[..<split], bytes[split...]], limits: limits)
        let trickle = decode(bytes.indices.map { bytes[$0...$0] }, limits: limits)
        guard whole == halves, whole == trickle else {
            fatalError("verdict depends on how the bytes arrive: \(whole) / \(halves) / \(trickle)")
        }
        let bodyBytes = whole.messages.reduce(0) { $0 + $1.count }
        guard bodyBytes <= bytes.count else { fatalError("decoded more body than input") }
    }

    static func decode(_ pieces: [ArraySlice<UInt8>], limits: ParserLimits) -> Verdict {
        var decoder = RequestDecoder(limits: limits)
        var verdict = Verdict()
        do {
            for piece in pieces {
                decoder.append(Array(piece))
                while let event = try decoder.next() {
                    if case let .message(_, body) = event { verdict.messages.append(body) }
                }
            }
        } catch {
            verdict.error = error
        }
        return verdict
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    RequestDecoderFuzz.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
import FuzzSupport

@main
struct ReplayMain {
    static func main() throws { try FuzzReplay.files(RequestDecoderFuzz.run) }
}
#endif
