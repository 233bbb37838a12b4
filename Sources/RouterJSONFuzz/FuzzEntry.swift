import Foundation
import Logging
import ServiceCore
import ServiceHTTP
import ServiceJSON

/// Feeds fuzzer input as a JSON body through the router to routes that read
/// it as the daemon's do (`HTTPRequest.jsonBody` under the route's limits,
/// then `ObjectReader` validation; for readings the batch scanner first).
/// The first byte picks the route, the rest is the body. Whatever the body,
/// the answer must be 200, 400, 413 or 422 (never a 500 nor a crash), a
/// well-formed JSON document, a problem document naming its own status when
/// it is an error; and no body over the route's limit is answered but 413.
enum RouterJSONFuzz {
    static let resourceLimit = 64 * 1024
    static let batchLimit = 3 * 1024 * 1024
    /// Fixed, so that a reproducer replays the same way.
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static let responder: RouterResponder = {
        var logger = Logger(label: "fuzz")
        logger.logLevel = .critical
        var router = Router(middleware: [RequestIDMiddleware()], maxBodyBytes: resourceLimit)
        router.post("/v1/meter-readings", maxBodyBytes: batchLimit) { request in
            if let readings = MeterReadingBatchScanner.scan(request.body, now: now) {
                return .json(.ok, #"{"received":\#(readings.count)}"#)
            }
            let decoded = try validated(request, limits: MeterReadingInput.jsonLimits) { MeterReadingInput.decode($0, now: now) }
            return .json(.ok, #"{"received":\#(decoded.readings.count)}"#)
        }
        router.post("/v1/customers") { request in
            _ = try validated(request, limits: .request) { body in
                (body.string("name"), body.string("dealer_id", required: false), body.stringArray("tags", required: false))
            }
            return .json(.created, "{}")
        }
        return router.buildResponder(logger: logger)
    }()

    /// The daemon's `decode`: the object, every issue collected, 422 listing them.
    static func validated<T>(_ request: HTTPRequest, limits: JSONParser.Limits, _ read: (ObjectReader) -> T) throws -> T {
        let issues = ValidationIssues()
        guard let reader = ObjectReader(try request.jsonBody(limits: limits), issues: issues) else {
            throw Problem(.unprocessableContent, detail: "the body must be a JSON object")
        }
        let value = read(reader)
        reader.rejectUnknownFields()
        if !issues.list.isEmpty { throw Problem(.unprocessableContent, detail: "\(issues.list.count) invalid fields") }
        return value
    }

    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        let (path, limit) = selector & 1 == 0 ? ("/v1/meter-readings", batchLimit) : ("/v1/customers", resourceLimit)
        let headers = HTTPHeaders([("Host", "fuzz"), ("Content-Type", "application/json"), ("Content-Length", String(body.count))])
        let request = HTTPRequest(method: .POST, target: path, headers: headers, body: body)
        var decoder = RequestDecoder()
        decoder.append(Array("POST \(path) HTTP/1.1\r\nHost: fuzz\r\nContent-Length: \(body.count)\r\n\r\n".utf8))
        guard case .head(let head)? = try? decoder.next() else {
            guard body.isEmpty else { fatalError("a head with a body was not announced") }
            return
        }
        guard responder.maxBodyBytes(for: head) == limit else { fatalError("route \(path) has another body limit") }
        if body.count > limit { return }  // refused from the head; never reaches a handler

        let response = responder.resolve(request).respond()
        let status = response.status.code
        guard [200, 201, 400, 413, 422].contains(status) else { fatalError("status \(status) for a JSON body") }
        guard case .bytes(let answer) = response.body, let document = try? JSONParser.parse(answer) else {
            fatalError("the answer is not a JSON document")
        }
        if status >= 400 {
            guard case .int(status)? = document["status"] else { fatalError("problem document without its status") }
        }
        // The route's limits are the parser's: what the handler took, the parser takes.
        if status < 300, MeterReadingBatchScanner.scan(body, now: now) == nil {
            let limits: JSONParser.Limits = path == "/v1/customers" ? .request : MeterReadingInput.jsonLimits
            guard (try? JSONParser.parse(body, limits: limits)) != nil else { fatalError("accepted a body its limits refuse") }
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    RouterJSONFuzz.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
import FuzzSupport

@main
struct ReplayMain {
    static func main() throws { try FuzzReplay.files(RouterJSONFuzz.run) }
}
#endif
