// swift-tools-version: 6.2
import PackageDescription

/// One settings block for every target: Swift 6 mode with the stricter upcoming features on.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Furrow",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "furrow", targets: ["furrow"]),
        .library(name: "FurrowWire", targets: ["FurrowWire"]),
        .library(name: "FurrowLogs", targets: ["FurrowLogs"]),
        .library(name: "FurrowStore", targets: ["FurrowStore"]),
        .library(name: "FurrowIngest", targets: ["FurrowIngest"]),
        .library(name: "FurrowAgronomy", targets: ["FurrowAgronomy"]),
        .library(name: "FurrowServer", targets: ["FurrowServer"]),
    ],
    dependencies: [
        // CLI commands as types.
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // SHA-256 for MAVLink 2 message signing (BoringSSL-backed on Linux, CryptoKit on Apple).
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // SQLite (the system libsqlite3) for the chunk store: WAL, migrations, typed rows.
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // Event loops for the daemon's sockets (UDP, TCP) and serial file descriptors.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Structured logs and metrics, exported in Prometheus text format on /metrics.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Graceful start and stop of the daemon's services on SIGTERM/SIGINT.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // HTTP for health, metrics and (later) the API.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // TOML for the daemon's configuration and device profiles (toml++ underneath, with error positions).
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    ],
    targets: [
        .target(
            name: "FurrowWire",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                // The AES block function for LoRaWAN's AES-CMAC and FRMPayload keystream.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FurrowLogs",
            dependencies: ["FurrowWire"],
            swiftSettings: swiftSettings
        ),
        // The system zlib (raw archive segments); zlib1g-dev is installed by scripts/setup.sh.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "FurrowStore",
            dependencies: ["CZlib", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FurrowIngest",
            dependencies: [
                "FurrowWire",
                "FurrowLogs",
                "FurrowStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        // Agronomy as pure functions over numbers and series: no I/O, nothing but the standard library.
        .target(
            name: "FurrowAgronomy",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FurrowServer",
            dependencies: [
                "FurrowWire",
                "FurrowLogs",
                "FurrowStore",
                "FurrowIngest",
                "FurrowAgronomy",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "furrow",
            dependencies: [
                "FurrowWire",
                "FurrowLogs",
                "FurrowStore",
                "FurrowIngest",
                "FurrowAgronomy",
                "FurrowServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FurrowWireTests",
            dependencies: ["FurrowWire", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FurrowLogsTests",
            dependencies: ["FurrowLogs", "FurrowWire"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FurrowStoreTests",
            dependencies: ["FurrowStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FurrowIngestTests",
            dependencies: [
                "FurrowIngest", "FurrowWire", "FurrowStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FurrowAgronomyTests",
            dependencies: ["FurrowAgronomy"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FurrowServerTests",
            dependencies: [
                "FurrowServer", "FurrowStore", "FurrowIngest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
