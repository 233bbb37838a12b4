import HealthPeer
import Hummingbird
import HummingbirdTLS
import NIOSSL

// `hb-health-tls --host 127.0.0.1 --port 8443 --cert cert.pem --key key.pem`:
// GET /healthz -> {"status":"ok"} over TLS (swift-nio-ssl), ALPN http/1.1,
// TLS 1.2 minimum: the same offer as service-daemon's TLS listener.
let peer = HealthPeer(arguments: Array(CommandLine.arguments.dropFirst()), defaultPort: 8443)
var tls = TLSConfiguration.makeServerConfiguration(
    certificateChain: try NIOSSLCertificate.fromPEMFile(peer.certificatePath).map { .certificate($0) },
    privateKey: .file(peer.keyPath)
)
tls.minimumTLSVersion = .tlsv12
tls.applicationProtocols = ["http/1.1"]
let app = Application(
    router: peer.router,
    server: try .tls(.http1(), tlsConfiguration: tls),
    configuration: .init(address: .hostname(peer.host, port: peer.port))
)
try await app.runService()
