import Foundation

/// Everything one run measured; written as JSON and printed as tables.
struct BenchReport: Sendable, Codable {
    struct OptionsNote: Sendable, Codable {
        var hours: Double
        var days: Int
        var drones: Int
        var nodes: Int
        var seed: UInt64
        var chunkRows: Int
        var attitudeRates: Bool
        var runs: Int
        var batchRows = "50...500 uniform, ordered by each batch's last timestamp"
        var sqliteTransactionValues = SQLiteBaseline.transactionValues
    }

    struct GroupNote: Sendable, Codable {
        var kind: SourceKind
        var name: String
        var sources: Int
        var channels: [String]
        var rows: Int
        var values: Int
    }

    struct DatasetNote: Sendable, Codable {
        var values: Int
        var series: Int
        var rows: Int
        var droneValues: Int
        var soilValues: Int
        var droneSorties: Int
        var droneAirborneSeconds: Double
        var generationSeconds: Double
        var groups: [GroupNote]
    }

    struct Ingest: Sendable, Codable {
        var values: Int
        var batches: Int
        var timing: Timing
        var valuesPerSecondWall: Double { Double(values) / timing.wallSeconds }
        var valuesPerSecondCPU: Double { Double(values) / timing.cpuSeconds }

        enum CodingKeys: String, CodingKey { case values, batches, timing, valuesPerSecondWall, valuesPerSecondCPU }
        init(values: Int, batches: Int, timing: Timing) {
            self.values = values
            self.batches = batches
            self.timing = timing
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            values = try c.decode(Int.self, forKey: .values)
            batches = try c.decode(Int.self, forKey: .batches)
            timing = try c.decode(Timing.self, forKey: .timing)
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(values, forKey: .values)
            try c.encode(batches, forKey: .batches)
            try c.encode(timing, forKey: .timing)
            try c.encode(valuesPerSecondWall, forKey: .valuesPerSecondWall)
            try c.encode(valuesPerSecondCPU, forKey: .valuesPerSecondCPU)
        }
    }

    struct StoreResult: Sendable, Codable {
        var ingest: Ingest
        var disk: DiskSize
        var chunks: ChunkBreakdown
        var bytesPerValueVacuumed: Double
        var bytesPerValueCheckpointed: Double
        var blobBytesPerValue: Double
        /// Every series read back and compared bit for bit.
        var readBackValues: Int
        var readBackSeconds: Double
    }

    struct SQLiteResult: Sendable, Codable {
        var version: String
        var ingest: Ingest
        var disk: DiskSize
        var bytesPerValueVacuumed: Double
        var bytesPerValueCheckpointed: Double
        var verifiedRows: Int
    }

    struct QueryResult: Sendable, Codable {
        var spec: Queries.Spec
        var store: QueryTimings
        /// The first answer of a freshly opened store (no bucket cache, new connections), ms.
        var storeColdMs: Double
        var storePath: StoreBenchmark.Path
        var sqlite: QueryTimings?
        /// Both stores (and the in-memory reference) gave the same answer.
        var verified: Bool
        /// The same chunks decoded and folded outside the store.
        var anatomy: QueryAnatomy
    }

    struct LiveResult: Sendable, Codable {
        var note =
            "drone groups only; each group's rows of one data second per append; store.flush() whenever the data "
            + "second changes (a daemon with flushInterval = 1 s)"
        var ingest: Ingest
        var flushes: Int
        var disk: DiskSize
        var chunks: ChunkBreakdown
        var bytesPerValueVacuumed: Double
    }

    var machine: MachineNote
    var options: OptionsNote
    var dataset: DatasetNote
    var store: StoreResult
    var sqlite: SQLiteResult?
    var queries: [QueryResult]
    var live: LiveResult?
    var probe: CodecProbe
    var layout: LayoutProbe
}

// MARK: - Printing

extension BenchReport {
    func printTables() {
        func n(_ x: Int) -> String {
            let digits = String(x)
            var out = ""
            for (i, c) in digits.reversed().enumerated() {
                if i > 0 && i % 3 == 0 { out.append(",") }
                out.append(c)
            }
            return String(out.reversed())
        }
        func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
        func m(_ x: Double) -> String { f(x / 1e6, 2) + " M" }
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
        func lpad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }

        print("")
        print(
            "Furrow StoreBench — \(machine.date), \(machine.cpu), \(machine.cores) cores, SQLite \(machine.sqliteVersion)"
        )
        print("load average before: \(machine.loadBefore), after: \(machine.loadAfter)")
        print(
            "dataset: \(n(dataset.values)) values in \(dataset.series) series (\(n(dataset.rows)) rows); drones "
                + "\(n(dataset.droneValues)) (\(options.drones) × \(f(options.hours, 1)) h sessions, \(dataset.droneSorties) sorties, "
                + "\(f(dataset.droneAirborneSeconds / 3600, 2)) h powered), soil \(n(dataset.soilValues)) (\(options.nodes) nodes × \(options.days) days)"
        )
        print("")
        let w = 40
        print(pad("", w) + lpad("Furrow store", 16) + lpad("SQLite row/value", 18) + lpad("aim", 10))
        func row(_ name: String, _ a: String, _ b: String, _ aim: String) {
            print(pad(name, w) + lpad(a, 16) + lpad(b, 18) + lpad(aim, 10))
        }
        row(
            "bytes/value, file after VACUUM", f(store.bytesPerValueVacuumed, 3),
            sqlite.map { f($0.bytesPerValueVacuumed, 2) } ?? "—", "≤ 1.6")
        row(
            "bytes/value, file as checkpointed", f(store.bytesPerValueCheckpointed, 3),
            sqlite.map { f($0.bytesPerValueCheckpointed, 2) } ?? "—", "")
        let rollupBytes = store.disk.tables.filter { $0.name.contains("rollup") }.reduce(0) { $0 + $1.bytes }
        if rollupBytes > 0 {
            row(
                "bytes/value, file minus rollup table",
                f(Double(store.disk.bytesVacuumed - rollupBytes) / Double(dataset.values), 3),
                "—", "")
        }
        row("bytes/value, chunk BLOBs only", f(store.blobBytesPerValue, 3), "—", "")
        row(
            "ingest values/s, wall", m(store.ingest.valuesPerSecondWall),
            sqlite.map { m($0.ingest.valuesPerSecondWall) } ?? "—", "")
        row(
            "ingest values/s, CPU (all threads)", m(store.ingest.valuesPerSecondCPU),
            sqlite.map { m($0.ingest.valuesPerSecondCPU) } ?? "—", "≥ 3 M")
        row(
            "ingest seconds, wall / CPU",
            f(store.ingest.timing.wallSeconds) + " / " + f(store.ingest.timing.cpuSeconds),
            sqlite.map { f($0.ingest.timing.wallSeconds) + " / " + f($0.ingest.timing.cpuSeconds) } ?? "—", "")
        for q in queries {
            row(
                "\(q.spec.name) ms, median of \(q.store.runsMs.count) (min)",
                f(q.store.medianMs) + " (" + f(q.store.minimumMs) + ")",
                q.sqlite.map { f($0.medianMs) + " (" + f($0.minimumMs) + ")" } ?? "—",
                ["Q1", "Q2", "Q3"].contains(q.spec.name) ? "< 10" : "")
            row("\(q.spec.name) ms, cold (first answer of a reopened store)", f(q.storeColdMs), "—", "")
        }
        print("")
        for q in queries {
            print(
                "  \(q.spec.name): \(q.spec.description); \(n(q.spec.values)) values → \(n(q.spec.resultRows)) "
                    + (q.spec.width == nil ? "values" : "buckets")
                    + (q.spec.width == nil
                        ? ""
                        : ", \(q.storePath.chunksFromStatistics) chunks from statistics, "
                            + "\(q.storePath.seriesFromRollups) of \(q.spec.series.count) series from rollups")
                    + (q.verified ? "; answers agree" : ""))
            print(
                "      its \(q.anatomy.chunks) chunks (\(n(q.anatomy.blobBytes)) B) decode in \(f(q.anatomy.decodeMs)) ms, "
                    + "decode + fold \(f(q.anatomy.decodeAndFoldMs)) ms outside the store")
        }
        print(
            "  read-back: all \(n(store.readBackValues)) values bit-exact, \(f(store.readBackSeconds, 2)) s "
                + "(\(m(Double(store.readBackValues) / store.readBackSeconds)) values/s through readAll)")
        if let live {
            print(
                "  live ingest (drones, 1 s batches, flush every data second): \(m(live.ingest.valuesPerSecondWall)) values/s wall, "
                    + "\(m(live.ingest.valuesPerSecondCPU)) CPU, \(n(live.flushes)) flushes, \(f(live.bytesPerValueVacuumed, 3)) B/value after VACUUM"
            )
        }

        print("")
        print(
            "store file: \(n(store.disk.bytesVacuumed)) B after VACUUM (\(n(store.disk.bytesCheckpointed)) checkpointed, "
                + "\(n(store.disk.bytesAsWritten)) with WAL as written); chunk BLOBs \(n(store.chunks.blobBytes)) B "
                + "(time \(n(store.chunks.timeBytes)), values \(n(store.chunks.valueBytes)), row-group directories "
                + "\(n(store.chunks.directoryBytes)); headers+statistics \(n(store.chunks.headerBytes))) in "
                + "\(n(store.chunks.groupChunks)) row-group chunks (\(n(store.chunks.timeChunks)) time + "
                + "\(n(store.chunks.valueChunks)) value chunks)"
        )
        if !store.disk.tables.isEmpty {
            print(
                "  dbstat: "
                    + store.disk.tables.map {
                        "\($0.name) \(n($0.bytes)) B (\($0.pages) pages, \($0.overflowPages) overflow, \(n($0.unused)) unused)"
                    }.joined(separator: "; "))
        }
        if !store.chunks.rollups.isEmpty {
            let bytes = store.disk.tables.filter { $0.name.contains("rollup") }.reduce(0) { $0 + $1.bytes }
            let rows = store.chunks.rollups.reduce(0) { $0 + $1.rows }
            print(
                "  rollup table: \(n(rows)) rows, \(n(bytes)) B = \(f(Double(bytes) / Double(dataset.values), 3)) B/value; "
                    + store.chunks.rollups.prefix(6).map {
                        "\($0.group) \($0.widthSeconds) s: \(n($0.rows)) rows (\(f(Double($0.values) / Double($0.rows), 1)) values each)"
                    }.joined(separator: "; "))
        }
        let total = Double(store.chunks.blobBytes)
        let soil = store.chunks.channels.filter { $0.group == "SOIL" }
        let soilBytes = soil.reduce(0.0) { $0 + Double($1.bytes) + $1.timeShareBytes }
        let soilValues = soil.reduce(0) { $0 + $1.values }
        print(
            "  chunk BLOBs per value: drones \(f((total - soilBytes) / Double(dataset.values - soilValues), 3)) B, "
                + "soil \(f(soilBytes / Double(max(1, soilValues)), 3)) B (time columns included)")
        print("")
        print(
            "where the chunk bytes go (all sources of a channel together; time = the group's time chunks ÷ its channels):"
        )
        print(
            pad("channel", 34) + pad("type", 9) + lpad("values", 11) + lpad("B/value", 9) + lpad("+time", 8)
                + lpad("% bytes", 9) + "  codecs (chunks)")
        for c in store.chunks.channels.sorted(by: {
            $0.bytes + Int($0.timeShareBytes) > $1.bytes + Int($1.timeShareBytes)
        }) {
            let type = c.type + (c.decimalExponent.map { " e\($0)" } ?? "")
            print(
                pad(c.group + "." + c.channel, 34) + pad(type, 9) + lpad(n(c.values), 11)
                    + lpad(f(c.bytesPerValue, 3), 9)
                    + lpad(f(c.bytesPerValueWithTime, 3), 8)
                    + lpad(f(100 * (Double(c.bytes) + c.timeShareBytes) / total, 1), 9) + "  "
                    + c.codecs.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        print("")
        print(pad("time column of", 34) + lpad("rows", 11) + lpad("B/row", 9) + "  codecs (chunks)")
        for t in store.chunks.times {
            print(
                pad(t.group, 34) + lpad(n(t.rows), 11) + lpad(f(t.bytesPerRow, 3), 9) + "  "
                    + t.codecs.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        print("")
        print(
            "codecs alone (StoreChunk.encode over the dataset in \(options.chunkRows)-row chunks): encode "
                + "\(f(probe.encodeSeconds)) s CPU = \(m(Double(probe.values) / probe.encodeSeconds)) values/s; decode "
                + "\(f(probe.decodeSeconds)) s = \(m(Double(probe.values) / probe.decodeSeconds)) values/s")
        print(
            "  encode CPU by group: "
                + probe.encodeSecondsByGroup.sorted { $0.value > $1.value }
                .map { "\($0.key) \(f($0.value))" }.joined(separator: ", "))
        let chunkTables = store.disk.tables.filter { $0.name == "groupChunk" || $0.name == "groupChunkStart" }
            .reduce(0) { $0 + $1.bytes }
        print("")
        print(
            "the same chunk BLOBs in other SQLite layouts (chunk tables only, after VACUUM; the store's own chunk "
                + "tables take \(n(chunkTables)) B):")
        for v in layout.variants {
            print(
                "  \(pad(v.name, 54)) page \(lpad(String(v.pageSize), 5))  \(lpad(n(v.bytes), 11)) B  \(f(v.bytesPerValue, 3)) B/value"
            )
        }
        print("")
        print("  lat/lon representation (GLOBAL_POSITION_INT lat+lon):")
        for v in probe.latLon { print("    \(pad(v.name, 52)) \(f(v.bytesPerValue, 3)) B/value") }
    }
}
