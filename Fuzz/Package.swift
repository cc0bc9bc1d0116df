// swift-tools-version: 6.2
import PackageDescription

/// libFuzzer target over Furrow's MAVLink framer, decoder, batcher and .tlog reader.
///
/// A package of its own so that the root package never builds with sanitizer flags. It is only useful
/// built with the fuzzer and address sanitizers on every module (see README.md and run.sh):
///
///     swift build --package-path Fuzz --scratch-path .build-fuzz -c release \
///         --sanitize=fuzzer --sanitize=address -Xswiftc -parse-as-library
let package = Package(
    name: "FurrowFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Furrow", path: ".."),
        // SHA-256 to sign frames in the fixed-up variant and to check signatures independently.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "FurrowFuzz",
            dependencies: [
                .product(name: "FurrowWire", package: "Furrow"),
                .product(name: "FurrowLogs", package: "Furrow"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        )
    ]
)
