import ArgumentParser
import FurrowStore

/// `furrow query`: read one series back out of the store, raw or in time buckets, as CSV or line protocol.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Read a series from the store as CSV or InfluxDB line protocol.",
        discussion: """
            Times are µs since the Unix epoch or UTC ISO 8601 (2024-05-01T06:00:00Z). With --every the output \
            is one row per bucket: start, count, mean, min, max, first, last.
            """
    )

    @Option(help: "The store's SQLite file.") var db: String
    @Option(help: "Pilot project.") var project: String
    @Option(help: "Source (drone, sensor node).") var source: String
    @Option(help: "Row group (measurement or MAVLink message).") var group: String
    @Option(help: "Channel (field).") var channel: String
    @Option(name: .customLong("tag"), help: "A tag of the series, key=value (repeatable).") var tagList: [String] = []
    @Option(help: "Start of the range (inclusive).") var from: String?
    @Option(help: "End of the range (exclusive).") var to: String?
    @Option(help: "Bucket width in seconds (aggregates instead of raw values).") var every: Double?
    @Option(name: .customLong("percentile"), help: "With --every, also this percentile (0-100; repeatable).")
    var percentiles: [Double] = []
    @Option(help: "Output: csv or lp (line protocol, ns timestamps).") var format: String = "csv"

    func run() async throws {
        guard format == "csv" || format == "lp" else { throw ValidationError("--format must be csv or lp") }
        var tags: [String: String] = [:]
        for tag in tagList {
            guard let eq = tag.firstIndex(of: "=") else { throw ValidationError("--tag \(tag): expected key=value") }
            tags[String(tag[..<eq])] = String(tag[tag.index(after: eq)...])
        }
        let lower = try from.map(Self.parseTime) ?? Int64.min + 1
        let upper = try to.map(Self.parseTime) ?? Int64.max
        guard lower < upper else { throw ValidationError("--from must be before --to") }
        let key = StoreGroupKey(project: project, source: source, name: group, tags: tags)
        let series = StoreSeriesKey(group: key, channel: channel)
        let store = try TimeSeriesStore(path: db)
        var out: [UInt8] = []
        func flushOut() {
            writeAll(1, out)
            out.removeAll(keepingCapacity: true)
        }
        if let every {
            let width = Int64(every * 1_000_000)
            guard width > 0 else { throw ValidationError("--every must be positive") }
            let result = try await store.buckets(series, in: lower..<upper, width: width, percentiles: percentiles)
            let names = percentiles.map { "p\($0.formatted)" }
            if format == "csv" { out += Array((["start,count,mean,min,max,first,last"] + names).joined(separator: ",").utf8 + [10]) }
            for b in result.buckets {
                if format == "csv" {
                    let cells = ["\(StoreTime.format(b.start)),\(b.count),\(b.mean),\(b.minimum),\(b.maximum),\(b.first),\(b.last)"]
                        + b.percentiles.map { "\($0)" }
                    out += Array((cells.joined(separator: ",") + "\n").utf8)
                } else {
                    let fields: [(key: String, value: LineProtocolValue)] = ([
                        ("count", .integer(Int64(b.count))), ("mean", .float(b.mean)), ("min", .float(b.minimum)),
                        ("max", .float(b.maximum)), ("first", .float(b.first)), ("last", .float(b.last)),
                    ] + zip(names, b.percentiles).map { (key: $0, value: LineProtocolValue.float($1)) }).filter { if case .float(let v) = $0.value { v.isFinite } else { true } }
                    out += Array((StoreExport.line(key, fields: fields, micros: b.start) + "\n").utf8)
                }
            }
            for problem in result.skipped { printError("skipped: \(problem)") }
            flushOut()
            return
        }
        if format == "csv" { out += Array("timestamp,\(channel)\n".utf8) }
        for try await event in try await store.read(series, in: lower..<upper) {
            switch event {
            case .skipped(let error):
                printError("skipped: \(error)")
            case .rows(let slice):
                for (i, t) in slice.timestamps.enumerated() {
                    let value = StoreExport.value(slice.values, i)
                    if format == "csv" {
                        out += Array("\(StoreTime.format(t)),\(StoreExport.csvText(value))\n".utf8)
                    } else if case .float(let v) = value, !v.isFinite {
                        continue  // line protocol has no NaN or infinity
                    } else {
                        out += Array((StoreExport.line(key, fields: [(channel, value)], micros: t) + "\n").utf8)
                    }
                }
                if out.count >= 1 << 16 { flushOut() }
            }
        }
        flushOut()
    }

    static func parseTime(_ text: String) throws -> Int64 {
        guard let micros = StoreTime.parse(text) else {
            throw ValidationError("time \(text): expected µs since the epoch or ISO 8601 with a zone (2024-05-01T06:00:00Z)")
        }
        return micros
    }
}

extension Double {
    /// `50` for 50.0, `99.9` otherwise: percentile names without a trailing `.0`.
    var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : "\(self)" }
}
