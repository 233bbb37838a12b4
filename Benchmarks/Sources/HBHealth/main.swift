import Hummingbird

// `hb-health --host 127.0.0.1 --port 8081`: GET /healthz -> {"status":"ok"}.
var host = "127.0.0.1"
var port = 8081
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--host": host = arguments.next() ?? host
    case "--port": port = arguments.next().flatMap(Int.init) ?? port
    default: fatalError("unknown argument \(argument)")
    }
}

let router = Router()
router.get("/healthz") { _, _ in
    Response(
        status: .ok,
        headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#))
    )
}
let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)))
try await app.runService()
