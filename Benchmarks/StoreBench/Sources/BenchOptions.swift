import Foundation

/// Command-line options of StoreBench (no argument-parser dependency: a handful of `--name value` flags).
struct BenchOptions: Sendable {
    /// Length of each drone's flying session (sorties with battery-swap gaps), hours.
    var hours = 2.0
    /// Days of soil-sensor data.
    var days = 30
    var drones = 4
    var nodes = 50
    var seed: UInt64 = 20_240_615
    /// Where the JSON results go.
    var out = "bench-data/store"
    /// Where the databases are written (a fresh temporary directory if nil); removed unless `keep`.
    var work: String? = nil
    var keep = false
    /// Timed repetitions of each query (the median is reported), after one untimed, verified run.
    var runs = 7
    /// ATTITUDE with its three body rates as well (6 float32 channels instead of roll/pitch/yaw).
    var attitudeRates = false
    /// Rows per store chunk (`TimeSeriesStore.Options.chunkRows`).
    var chunkRows = 4096
    var skipSQLite = false
    /// Also measure a daemon-like ingest of the drone telemetry: one-second batches, a flush every second.
    var live = false
    /// Only run the float codecs over the columns in this file (from `extract_float_columns.py`) and exit.
    var floatColumns: String? = nil

    static let usage = """
        usage: StoreBench [--hours H] [--days D] [--drones N] [--nodes N] [--seed S] [--out DIR]
                          [--work DIR] [--keep] [--runs N] [--attitude-rates] [--chunk-rows N]
                          [--skip-sqlite] [--live]
               StoreBench --float-columns FILE

          --hours H          flying session per drone, hours (default 2; sorties of 20-24 min, 8-12 min swaps)
          --days D           days of soil-sensor data (default 30)
          --drones N         spray drones (default 4)        --nodes N   soil-sensor nodes (default 50)
          --seed S           dataset seed (default 20240615, the seed of research/tsdb.md)
          --out DIR          JSON results directory (default bench-data/store)
          --work DIR         where the databases go (default: a temporary directory); --keep keeps them
          --runs N           timed runs per query, median reported (default 7)
          --attitude-rates   ATTITUDE with rollspeed/pitchspeed/yawspeed too (6 float32 channels)
          --chunk-rows N     TimeSeriesStore chunk size in rows (default 4096)
          --skip-sqlite      no one-row-per-value SQLite baseline (no cross-check either)
          --live             also ingest the drone telemetry as a daemon would: 1 s batches, flush every 1 s
          --float-columns F  only: the float codecs over real columns (extract_float_columns.py's output)
        """

    static func parse(_ arguments: some Sequence<String>) throws -> BenchOptions {
        var options = BenchOptions()
        var iterator = arguments.makeIterator()
        func value(_ flag: String) throws -> String {
            guard let v = iterator.next() else { throw BenchFailure("\(flag) needs a value\n\(usage)") }
            return v
        }
        func number<T: LosslessStringConvertible>(_ flag: String, _: T.Type) throws -> T {
            let text = try value(flag)
            guard let n = T(text) else { throw BenchFailure("\(flag): '\(text)' is not a number") }
            return n
        }
        while let argument = iterator.next() {
            switch argument {
            case "--hours": options.hours = try number(argument, Double.self)
            case "--days": options.days = try number(argument, Int.self)
            case "--drones": options.drones = try number(argument, Int.self)
            case "--nodes": options.nodes = try number(argument, Int.self)
            case "--seed": options.seed = try number(argument, UInt64.self)
            case "--out": options.out = try value(argument)
            case "--work": options.work = try value(argument)
            case "--keep": options.keep = true
            case "--runs": options.runs = try number(argument, Int.self)
            case "--attitude-rates": options.attitudeRates = true
            case "--chunk-rows": options.chunkRows = try number(argument, Int.self)
            case "--skip-sqlite": options.skipSQLite = true
            case "--live": options.live = true
            case "--float-columns": options.floatColumns = try value(argument)
            case "-h", "--help":
                print(usage)
                exit(0)
            default: throw BenchFailure("unknown argument '\(argument)'\n\(usage)")
            }
        }
        guard options.hours > 0, options.days >= 1, options.drones >= 1, options.nodes >= 1, options.runs >= 1,
            options.chunkRows >= 1
        else { throw BenchFailure("--hours, --days, --drones, --nodes, --runs and --chunk-rows must be positive") }
        return options
    }
}

/// A failed run: a bad argument, or two stores that disagree. Printed, exit status 1.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
