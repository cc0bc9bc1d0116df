// swift-tools-version: 6.2
import PackageDescription

/// Benchmarks for Furrow: the decoder with package-benchmark (ordo-one/benchmark), and the store harness
/// `StoreBench` (see StoreBench/README.md). package-benchmark:
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
        // The plain one-row-per-value SQLite baseline of StoreBench (the same system libsqlite3 the store uses).
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
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
        // The store benchmark harness (issue 3, item 8): a seeded drone + irrigation dataset written through
        // TimeSeriesStore and into a one-row-per-value SQLite table in the same run. See StoreBench/README.md.
        //
        //     swift run -c release --package-path Benchmarks StoreBench [--hours H] [--days D] [--out DIR]
        .executableTarget(
            name: "StoreBench",
            dependencies: [
                .product(name: "FurrowStore", package: "Furrow"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            // Not directly under Benchmarks/: package-benchmark runs every executable target whose directory's
            // parent is named "Benchmarks" as a benchmark suite.
            path: "StoreBench/Sources",
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
        // The ingest pipeline in one process (framer → batcher → mapper → store + archive), no sockets.
        //
        //     swift run -c release --package-path Benchmarks IngestBench [--drones N] [--no-archive]
        .executableTarget(
            name: "IngestBench",
            dependencies: [
                .product(name: "FurrowIngest", package: "Furrow"),
                .product(name: "FurrowStore", package: "Furrow"),
                .product(name: "FurrowWire", package: "Furrow"),
                .product(name: "FurrowLogs", package: "Furrow"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "IngestBench/Sources",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
