import HealthPeer
import Hummingbird

// `hb-health --host 127.0.0.1 --port 8081`: GET /healthz -> {"status":"ok"}.
let peer = HealthPeer(arguments: Array(CommandLine.arguments.dropFirst()), defaultPort: 8081)
let app = Application(router: peer.router, configuration: .init(address: .hostname(peer.host, port: peer.port)))
try await app.runService()
