import FurrowStore

/// Where a row group comes from: the drone telemetry or the soil-sensor network.
enum SourceKind: String, Sendable, Codable {
    case drone
    case soil
}

/// One row group of the dataset, whole, in memory: what a daemon would have written over the run.
struct BenchGroup: Sendable {
    let key: StoreGroupKey
    let channels: [StoreChannel]
    let kind: SourceKind
    var timestamps: [Int64]
    var columns: [StoreColumn]

    var rows: Int { timestamps.count }
    var values: Int { timestamps.count * channels.count }
}

/// One drone's flying day: the day it flew, and its sorties (power-on to power-off).
struct DroneFlight: Sendable {
    let drone: Int
    let source: String
    let day: Range<Int64>
    let sorties: [Range<Int64>]
}

/// The seeded dataset: drone sorties at 1-50 Hz with millisecond jitter, soil-sensor uplinks every 5-15 min.
struct Dataset: Sendable {
    var groups: [BenchGroup]
    /// Midnight UTC of the first day, µs.
    let start: Int64
    let days: Int
    let flights: [DroneFlight]
    /// The soil nodes' row-group keys, node order.
    let nodes: [StoreGroupKey]

    static let project = "pilot-a"
    /// 2026-06-01T00:00:00Z in µs.
    static let firstDay: Int64 = 1_780_272_000 * 1_000_000
    static let day: Int64 = 86_400 * 1_000_000

    var values: Int { groups.reduce(0) { $0 + $1.values } }
    var series: Int { groups.reduce(0) { $0 + $1.channels.count } }
    func values(of kind: SourceKind) -> Int { groups.filter { $0.kind == kind }.reduce(0) { $0 + $1.values } }

    static func generate(_ options: BenchOptions) -> Dataset {
        var groups: [BenchGroup] = []
        var flights: [DroneFlight] = []
        for drone in 0..<options.drones {
            var simulator = DroneSimulator(drone: drone, options: options)
            groups += simulator.generate()
            flights.append(simulator.flight)
        }
        var nodes: [StoreGroupKey] = []
        let weather = Weather(seed: options.seed, days: options.days)
        for node in 0..<options.nodes {
            let simulator = SoilSimulator(node: node, options: options, weather: weather)
            let group = simulator.generate()
            nodes.append(group.key)
            groups.append(group)
        }
        return Dataset(groups: groups, start: firstDay, days: options.days, flights: flights, nodes: nodes)
    }
}

extension StoreColumn {
    /// Whether the values are integers (bound as SQLite INTEGER) rather than floats (REAL).
    var isInteger: Bool {
        switch self {
        case .int64, .state, .timestamp, .bool: true
        case .float64, .float32, .string: false
        }
    }
}
