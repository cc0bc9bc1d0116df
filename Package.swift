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
    ],
    dependencies: [
        // CLI commands as types.
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // SHA-256 for MAVLink 2 message signing (BoringSSL-backed on Linux, CryptoKit on Apple).
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // SQLite (the system libsqlite3) for the chunk store: WAL, migrations, typed rows.
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        .target(
            name: "FurrowWire",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
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
        .executableTarget(
            name: "furrow",
            dependencies: [
                "FurrowWire",
                "FurrowLogs",
                "FurrowStore",
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
    ]
)
