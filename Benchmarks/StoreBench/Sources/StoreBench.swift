import Foundation
import FurrowStore
import GRDB

/// The store benchmark harness of issue 3, item 8: a seeded drone + irrigation dataset written through
/// `TimeSeriesStore` and into a one-row-per-value SQLite table in the same run; bytes per value, ingest
/// rate and query times of both, answers cross-checked. See README.md.
@main
enum StoreBench {
    static func main() async {
        do {
            try await run(BenchOptions.parse(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("StoreBench: FAILED: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(_ options: BenchOptions) async throws {
        if let path = options.floatColumns {
            try FloatColumnsProbe.run(path)
            return
        }
        let loadBefore = MachineNote.loadAverage()
        let date = ISO8601DateFormatter().string(from: Date())

        log("generating the dataset (seed \(options.seed))…")
        let (dataset, generation) = await Timing.measure { Dataset.generate(options) }
        log(
            "  \(dataset.values) values in \(dataset.series) series, \(String(format: "%.1f", generation.wallSeconds)) s"
        )
        let schedule = IngestSchedule.bulk(dataset, seed: options.seed)
        let queries = Queries(dataset)

        let fm = FileManager.default
        let work = options.work ?? fm.temporaryDirectory.appendingPathComponent("furrow-storebench-\(getpid())").path
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        let storePath = work + "/store.sqlite"
        let plainPath = work + "/plain.sqlite"
        let livePath = work + "/live.sqlite"
        for path in [storePath, plainPath, livePath] {
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
        }
        defer {
            if !options.keep {
                for path in [storePath, plainPath, livePath] {
                    for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
                }
                if options.work == nil { try? fm.removeItem(atPath: work) }
            }
        }
        let storeOptions = TimeSeriesStore.Options(chunkRows: options.chunkRows)

        // MARK: Store ingest, size
        log("store: ingesting \(schedule.batches.count) batches…")
        let storeTiming = try await StoreBenchmark.ingest(schedule, path: storePath, options: storeOptions)
        let storeIngest = BenchReport.Ingest(
            values: schedule.values, batches: schedule.batches.count, timing: storeTiming)
        log(
            "  \(String(format: "%.2f", storeTiming.wallSeconds)) s wall, \(String(format: "%.2f", storeTiming.cpuSeconds)) s CPU"
        )
        let storeDisk = try StoreBenchmark.compact(storePath)
        let breakdown = try StoreBenchmark.breakdown(storePath)
        log("store: the same chunks in other SQLite layouts…")
        let layout = try LayoutProbe.run(storePath: storePath, work: work, values: schedule.values)

        // MARK: SQLite ingest, size, verification
        var plain: DatabaseQueue? = nil
        var sqliteResult: BenchReport.SQLiteResult? = nil
        if !options.skipSQLite {
            log("SQLite: ingesting one row per value…")
            let timing = try await SQLiteBaseline.ingest(schedule, path: plainPath)
            log("  \(String(format: "%.2f", timing.wallSeconds)) s wall")
            let disk = try StoreBenchmark.compact(plainPath)
            let queue = try SQLiteBaseline.open(plainPath)
            log("SQLite: verifying every row…")
            let rows = try SQLiteBaseline.verifyAll(queue, dataset)
            plain = queue
            sqliteResult = BenchReport.SQLiteResult(
                version: SQLiteBaseline.version,
                ingest: BenchReport.Ingest(values: schedule.values, batches: schedule.batches.count, timing: timing),
                disk: disk, bytesPerValueVacuumed: Double(disk.bytesVacuumed) / Double(schedule.values),
                bytesPerValueCheckpointed: Double(disk.bytesCheckpointed) / Double(schedule.values), verifiedRows: rows)
        }

        // MARK: Read-back and queries
        let store = try TimeSeriesStore(path: storePath, options: storeOptions)
        log("store: reading every series back…")
        let (readBack, readBackTiming) = try await Timing.measure { try await StoreBenchmark.verifyAll(store, dataset) }

        var results: [BenchReport.QueryResult] = []
        for target in queries.targets {
            log("\(target.spec.name): \(target.spec.values) values…")
            // Cold: the first answer of a store opened for this query (empty bucket cache, new SQLite
            // connections; the OS file cache is warm from the read-back).
            let cold = try TimeSeriesStore(path: storePath, options: storeOptions)
            let ((coldAnswer, _), coldTiming) = try await Timing.measure {
                try await StoreBenchmark.answer(target, store: cold)
            }
            try coldAnswer.check(against: target.reference, query: target.spec.name, who: "the Furrow store (cold)")
            let (storeAnswer, path) = try await StoreBenchmark.answer(target, store: store)
            try storeAnswer.check(against: target.reference, query: target.spec.name, who: "the Furrow store")
            if let plain {
                let answer = try SQLiteBaseline.answer(target, queue: plain)
                try answer.check(against: target.reference, query: target.spec.name, who: "the SQLite baseline")
            }
            var storeRuns: [Double] = []
            for _ in 0..<options.runs {
                let (_, t) = try await Timing.measure { try await StoreBenchmark.answer(target, store: store) }
                storeRuns.append(t.wallSeconds * 1000)
            }
            var sqliteRuns: [Double]? = nil
            if let plain {
                sqliteRuns = []
                for _ in 0..<options.runs {
                    let (_, t) = try await Timing.measure { try SQLiteBaseline.answer(target, queue: plain) }
                    sqliteRuns!.append(t.wallSeconds * 1000)
                }
            }
            let anatomy = try QueryAnatomy.run(target, path: storePath, runs: options.runs)
            results.append(
                BenchReport.QueryResult(
                    spec: target.spec, store: QueryTimings(runsMs: storeRuns), storeColdMs: coldTiming.wallSeconds * 1000,
                    storePath: path,
                    sqlite: sqliteRuns.map(QueryTimings.init), verified: true, anatomy: anatomy))
        }
        plain = nil

        // MARK: Live ingest (optional)
        var liveResult: BenchReport.LiveResult? = nil
        if options.live {
            let live = IngestSchedule.live(dataset)
            let flushes = Set(live.batches.map(\.window)).count
            log("live: \(live.batches.count) one-second batches of the drone groups, \(flushes) flushes…")
            let timing = try await StoreBenchmark.ingest(live, path: livePath, options: storeOptions, live: true)
            let disk = try StoreBenchmark.compact(livePath)
            liveResult = BenchReport.LiveResult(
                ingest: BenchReport.Ingest(values: live.values, batches: live.batches.count, timing: timing),
                flushes: flushes, disk: disk, chunks: try StoreBenchmark.breakdown(livePath),
                bytesPerValueVacuumed: Double(disk.bytesVacuumed) / Double(live.values))
        }

        log("codecs alone…")
        let probe = CodecProbe.run(dataset, chunkRows: options.chunkRows)

        // MARK: Report
        let groupNames = Dictionary(grouping: dataset.groups, by: { "\($0.kind.rawValue)/\($0.key.name)" })
        let report = BenchReport(
            machine: MachineNote(
                date: date, cpu: MachineNote.cpuModel(), cores: ProcessInfo.processInfo.activeProcessorCount,
                loadBefore: loadBefore, loadAfter: MachineNote.loadAverage(), sqliteVersion: SQLiteBaseline.version),
            options: BenchReport.OptionsNote(
                hours: options.hours, days: options.days, drones: options.drones, nodes: options.nodes,
                seed: options.seed,
                chunkRows: options.chunkRows, attitudeRates: options.attitudeRates, runs: options.runs),
            dataset: BenchReport.DatasetNote(
                values: dataset.values, series: dataset.series, rows: dataset.groups.reduce(0) { $0 + $1.rows },
                droneValues: dataset.values(of: .drone), soilValues: dataset.values(of: .soil),
                droneSorties: dataset.flights.reduce(0) { $0 + $1.sorties.count },
                droneAirborneSeconds: dataset.flights.reduce(0) {
                    $0 + $1.sorties.reduce(0) { $0 + Double($1.upperBound - $1.lowerBound) / 1e6 }
                },
                generationSeconds: generation.wallSeconds,
                groups: groupNames.keys.sorted().map { name in
                    let groups = groupNames[name]!
                    return BenchReport.GroupNote(
                        kind: groups[0].kind, name: groups[0].key.name, sources: groups.count,
                        channels: groups[0].channels.map(\.name), rows: groups.reduce(0) { $0 + $1.rows },
                        values: groups.reduce(0) { $0 + $1.values })
                }),
            store: BenchReport.StoreResult(
                ingest: storeIngest, disk: storeDisk, chunks: breakdown,
                bytesPerValueVacuumed: Double(storeDisk.bytesVacuumed) / Double(schedule.values),
                bytesPerValueCheckpointed: Double(storeDisk.bytesCheckpointed) / Double(schedule.values),
                blobBytesPerValue: Double(breakdown.blobBytes) / Double(schedule.values), readBackValues: readBack,
                readBackSeconds: readBackTiming.wallSeconds),
            sqlite: sqliteResult, queries: results, live: liveResult, probe: probe, layout: layout)
        report.printTables()

        try fm.createDirectory(atPath: options.out, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = try encoder.encode(report)
        let stamp = date.replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        let file = options.out + "/storebench-\(stamp).json"
        try json.write(to: URL(fileURLWithPath: file))
        try json.write(to: URL(fileURLWithPath: options.out + "/latest.json"))
        print("\nJSON: \(file) (and latest.json)")
    }
}
