import Hummingbird

/// What both Hummingbird peers share: their command line and the one route
/// service-daemon is compared on, GET /healthz -> {"status":"ok"}.
public struct HealthPeer {
    public var host = "127.0.0.1"
    public var port: Int
    /// `--cert` and `--key`, for the TLS peer.
    public var certificatePath = ""
    public var keyPath = ""

    /// `--host H --port P [--cert FILE --key FILE]`.
    public init(arguments: [String], defaultPort: Int) {
        port = defaultPort
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--host": host = iterator.next() ?? host
            case "--port": port = iterator.next().flatMap(Int.init) ?? port
            case "--cert": certificatePath = iterator.next() ?? ""
            case "--key": keyPath = iterator.next() ?? ""
            default: fatalError("unknown argument \(argument)")
            }
        }
    }

    public var router: Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#))
            )
        }
        return router
    }
}
