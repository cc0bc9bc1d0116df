// swift-tools-version: 6.2
import PackageDescription

/// Benchmarks for Furrow's decoder, run with package-benchmark (ordo-one/benchmark):
///
///     swift package --package-path Benchmarks benchmark
///
/// A package of its own so that the root package (and its users) never resolve the benchmark
/// dependencies. See README.md.
let package = Package(
    name: "FurrowBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Furrow", path: ".."),
        // The MallocInterposer trait gives the malloc metrics without jemalloc.
        .package(
            url: "https://github.com/ordo-one/benchmark",
            from: "1.38.1",
            traits: ["MallocInterposer"]
        ),
    ],
    targets: [
        .executableTarget(
            name: "MAVLinkDecode",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FurrowWire", package: "Furrow"),
                .product(name: "FurrowLogs", package: "Furrow"),
            ],
            path: "Benchmarks/MAVLinkDecode",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)
