// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ServiceContracts",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "service-daemon", targets: ["ServiceDaemon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // JSON values, a strict parser and an order-keeping writer, shared by every layer.
        .target(name: "ServiceJSON"),
        // epoll and eventfd, which the Glibc module does not export.
        .systemLibrary(name: "CLinuxSystem"),
        .target(
            name: "ServiceHTTP",
            dependencies: [
                "CLinuxSystem", "COpenSSL", "ServiceJSON", .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "ServiceCore",
            dependencies: ["CSQLite", "COpenSSL", "ServiceJSON"]
        ),
        .executableTarget(
            name: "ServiceDaemon",
            dependencies: [
                "ServiceHTTP",
                "ServiceCore",
                "ServiceJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // The OpenAPI document, compiled into the binary: served wherever it runs.
            resources: [.embedInCode("API/OpenAPI/openapi.json")]
        ),
        // Replaying saved inputs through a fuzz target's checks, without libFuzzer.
        .target(name: "FuzzSupport"),
        // libFuzzer entry point over the request parser; see scripts/fuzz-http.sh.
        .executableTarget(
            name: "HTTPParserFuzz",
            dependencies: ["ServiceHTTP", "FuzzSupport"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        // libFuzzer entry point over the meter-reading batch scanner; see scripts/fuzz.sh.
        .executableTarget(
            name: "MeterBatchFuzz",
            dependencies: ["ServiceCore", "ServiceJSON", "FuzzSupport"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        // libFuzzer entry point: JSON bodies through the router to the daemon's readers; see scripts/fuzz.sh.
        .executableTarget(
            name: "RouterJSONFuzz",
            dependencies: ["ServiceHTTP", "ServiceCore", "ServiceJSON", "FuzzSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        // A byte-exact HTTP client shared by the test targets; never shipped.
        .target(name: "HTTPTestSupport", dependencies: ["ServiceHTTP"], path: "Tests/HTTPTestSupport"),
        .testTarget(name: "ServiceCoreTests", dependencies: ["ServiceCore", "ServiceJSON"]),
        .testTarget(name: "ServiceHTTPTests", dependencies: ["ServiceHTTP", "COpenSSL", "HTTPTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ServiceDaemonTests", dependencies: ["ServiceDaemon", "ServiceHTTP", "ServiceCore", "ServiceJSON", "HTTPTestSupport"]),
    ]
)
