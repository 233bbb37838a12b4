// swift-tools-version:6.0
// Benchmark-only package: a Hummingbird 2 (SwiftNIO) server answering the
// same health check as service-daemon (plain and over TLS), for side-by-side measurements by
// scripts/bench-http.sh. Not a dependency of the daemon.
import PackageDescription

let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // The route and command line both peers share.
        .target(
            name: "HealthPeer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Sources/HealthPeer"
        ),
        .executableTarget(
            name: "hb-health",
            dependencies: ["HealthPeer", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Sources/HBHealth"
        ),
        // The same over TLS through swift-nio-ssl, for scripts/bench-http.sh's TLS mode.
        .executableTarget(
            name: "hb-health-tls",
            dependencies: [
                "HealthPeer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
            ],
            path: "Sources/HBHealthTLS"
        ),
    ]
)
