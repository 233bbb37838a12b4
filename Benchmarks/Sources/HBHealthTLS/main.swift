import Hummingbird
import HummingbirdTLS
import NIOSSL

// `hb-health-tls --host 127.0.0.1 --port 8443 --cert cert.pem --key key.pem`:
// GET /healthz -> {"status":"ok"} over TLS (swift-nio-ssl), ALPN http/1.1,
// TLS 1.2 minimum: the same offer as service-daemon's TLS listener.
var host = "127.0.0.1"
var port = 8443
var certificatePath = ""
var keyPath = ""
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--host": host = arguments.next() ?? host
    case "--port": port = arguments.next().flatMap(Int.init) ?? port
    case "--cert": certificatePath = arguments.next() ?? ""
    case "--key": keyPath = arguments.next() ?? ""
    default: fatalError("unknown argument \(argument)")
    }
}

var tls = TLSConfiguration.makeServerConfiguration(
    certificateChain: try NIOSSLCertificate.fromPEMFile(certificatePath).map { .certificate($0) },
    privateKey: .file(keyPath)
)
tls.minimumTLSVersion = .tlsv12
tls.applicationProtocols = ["http/1.1"]

let router = Router()
router.get("/healthz") { _, _ in
    Response(
        status: .ok,
        headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#))
    )
}
let app = Application(
    router: router,
    server: try .tls(.http1(), tlsConfiguration: tls),
    configuration: .init(address: .hostname(host, port: port))
)
try await app.runService()
