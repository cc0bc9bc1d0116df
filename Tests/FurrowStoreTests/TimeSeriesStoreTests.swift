import Foundation
import GRDB
import Testing

@testable import FurrowStore

/// The chunk store against an in-memory reference model (a dictionary: timestamp → last written row), on real
/// SQLite files in a temporary directory.
@Suite("Time-series store")
struct TimeSeriesStoreTests {
    static let channels = [
        StoreChannel(name: "roll", valueType: .float32, unit: "rad"),
        StoreChannel(name: "voltage", valueType: .float64, unit: "V", decimalExponent: 2),
        StoreChannel(name: "mode", valueType: .state),
        StoreChannel(name: "text", valueType: .string),
    ]
    static let group = StoreGroupKey(project: "pilot-a", source: "mav:1/1", name: "TEST", tags: ["field": "north"])

    /// A temporary database file, removed when the test's scope ends.
    final class TemporaryDatabase {
        let directory: URL
        var path: String { directory.appendingPathComponent("store.sqlite").path }
        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-store-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    struct Row: Equatable {
        var roll: Float
        var voltage: Double
        var mode: Int64
        var text: String
        static func == (a: Row, b: Row) -> Bool {
            a.roll.bitPattern == b.roll.bitPattern && a.voltage.bitPattern == b.voltage.bitPattern && a.mode == b.mode
                && a.text.utf8.elementsEqual(b.text.utf8)
        }
    }

    static func columns(_ rows: [Row]) -> [StoreColumn] {
        [.float32(rows.map(\.roll)), .float64(rows.map(\.voltage)), .state(rows.map(\.mode)), .string(rows.map(\.text))]
    }

    static func randomRow(_ rng: inout SplitMix64) -> Row {
        let special: [Float] = [.nan, -0.0, .infinity, Float(bitPattern: 0x7FC0_1234), .leastNonzeroMagnitude]
        let roll = rng.next() % 50 == 0 ? special[Int(rng.next() % 5)] : Float(Int(rng.next() % 20000) - 10000) / 3000
        return Row(
            roll: roll, voltage: Double(Int(rng.next() % 2000) + 1000) / 100, mode: Int64(rng.next() % 4),
            text: ["AUTO", "GUIDED", "RTL", "é"][Int(rng.next() % 4)])
    }

    /// Reads every channel back and compares with the model.
    static func expectMatches(_ store: TimeSeriesStore, _ model: [Int64: Row], range: Range<Int64> = .min..<Int64.max)
        async throws
    {
        let want = model.filter { range.contains($0.key) }.sorted { $0.key < $1.key }
        var got: [[StoreColumn]] = []
        var times: [Int64] = []
        for channel in channels {
            let result = try await store.readAll(StoreSeriesKey(group: group, channel: channel.name), in: range)
            #expect(result.skipped.isEmpty)
            times = result.timestamps
            got.append([result.values])
        }
        let sameTimes = times == want.map(\.key)
        #expect(sameTimes, "\(times.count) timestamps read, \(want.count) expected")
        guard times.count == want.count else { return }
        let expected = columns(want.map(\.value))
        for (i, column) in got.enumerated() {
            let identical = column[0].isIdentical(to: expected[i])  // bit for bit; not printed whole on failure
            #expect(identical, "channel \(channels[i].name) differs from the model")
        }
    }

    @Test("rows written in random batches, late, out of order and duplicated read back as the model says")
    func roundTripWithLateAndDuplicateWrites() async throws {
        let temp = try TemporaryDatabase()
        var rng = SplitMix64(seed: 42)
        var model: [Int64: Row] = [:]
        do {
            let store = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 500))
            var t: Int64 = 1_700_000_000_000_000
            for round in 0..<40 {
                let n = Int(rng.next() % 300) + 1
                var times: [Int64] = []
                var rows: [Row] = []
                for _ in 0..<n {
                    let late = rng.next() % 10 == 0
                    let ts: Int64
                    if late, !model.isEmpty {
                        // A late value, sometimes exactly on an existing timestamp (a duplicate: last write wins).
                        let keys = Array(model.keys)
                        ts = rng.next() % 2 == 0 ? keys[Int(rng.next() % UInt64(keys.count))] : t - Int64(rng.next() % 5_000_000)
                    } else {
                        t += 20_000 + Int64(rng.next() % 3000)
                        ts = t
                    }
                    let row = Self.randomRow(&rng)
                    times.append(ts)
                    rows.append(row)
                }
                try await store.append(Self.group, channels: Self.channels, timestamps: times, columns: Self.columns(rows))
                for (ts, row) in zip(times, rows) { model[ts] = row }
                if round % 7 == 3 { try await store.flush() }
                if round % 10 == 9 { try await Self.expectMatches(store, model) }  // head and chunks together
            }
            try await store.flush()
            try await Self.expectMatches(store, model)
            let keys = model.keys.sorted()
            try await Self.expectMatches(store, model, range: keys[keys.count / 3]..<keys[2 * keys.count / 3])
        }
        // A new store on the same file sees everything that was flushed.
        let reopened = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 500))
        try await Self.expectMatches(reopened, model)
        let latest = try await reopened.latest(StoreSeriesKey(group: Self.group, channel: "mode"))
        let newest = model.keys.max()!
        #expect(latest?.timestamp == newest)
        #expect(latest?.value.isIdentical(to: .state([model[newest]!.mode])) == true)
    }

    @Test("buckets equal a direct computation; whole chunks come from their statistics")
    func buckets() async throws {
        let temp = try TemporaryDatabase()
        let store = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 100))
        var rng = SplitMix64(seed: 7)
        var model: [Int64: Row] = [:]
        var t: Int64 = 0
        for _ in 0..<20 {
            var times: [Int64] = []
            var rows: [Row] = []
            for _ in 0..<250 {
                t += 10_000 + Int64(rng.next() % 100)
                times.append(t)
                rows.append(Self.randomRow(&rng))
            }
            try await store.append(Self.group, channels: Self.channels, timestamps: times, columns: Self.columns(rows))
            for (ts, row) in zip(times, rows) { model[ts] = row }
        }
        try await store.flush()
        for (channel, value) in [("voltage", { (r: Row) in r.voltage }), ("roll", { (r: Row) in Double(r.roll) })] {
            let width: Int64 = 5_000_000
            let range: Range<Int64> = 3_000_000..<40_000_000
            let result = try await store.buckets(StoreSeriesKey(group: Self.group, channel: channel), in: range, width: width)
            #expect(result.skipped.isEmpty)
            #expect(!result.fromRollups)  // a database created without rollups keeps none
            #expect(result.chunksFromStatistics > 0)
            var expected: [Int64: [Double]] = [:]
            for (ts, row) in model where range.contains(ts) { expected[ts / width * width, default: []].append(value(row)) }
            #expect(result.buckets.map(\.start) == expected.keys.sorted())
            for bucket in result.buckets {
                let values = model.filter { range.contains($0.key) && $0.key / width * width == bucket.start }
                    .sorted { $0.key < $1.key }.map { value($0.value) }
                let finite = values.filter { !$0.isNaN }
                #expect(bucket.count == values.count)
                #expect(bucket.nanCount == values.count - finite.count)
                #expect(bucket.minimum == finite.min() ?? .nan || (bucket.minimum.isNaN && finite.isEmpty))
                #expect(bucket.maximum == finite.max() ?? .nan || (bucket.maximum.isNaN && finite.isEmpty))
                #expect(bucket.first.bitPattern == values.first!.bitPattern)
                #expect(bucket.last.bitPattern == values.last!.bitPattern)
                let sum = finite.reduce(0, +)
                #expect(abs(bucket.sum - sum) <= 1e-9 * max(1, abs(sum)) || (bucket.sum.isInfinite && sum.isInfinite))
            }
        }
    }

    @Test("rollups (1 min, 1 h) stay equal to a direct computation through late and duplicate writes")
    func rollups() async throws {
        let temp = try TemporaryDatabase()
        let store = try TimeSeriesStore(
            path: temp.path, options: .init(chunkRows: 300, rollupWidths: TimeSeriesStore.standardRollups))
        var rng = SplitMix64(seed: 11)
        var model: [Int64: Row] = [:]
        var t: Int64 = 1_700_000_000_000_000 / 3_600_000_000 * 3_600_000_000
        for round in 0..<30 {
            var times: [Int64] = []
            var rows: [Row] = []
            for _ in 0..<200 {
                if rng.next() % 8 == 0, let old = model.keys.randomElement(using: &rng) {
                    times.append(rng.next() % 2 == 0 ? old : old - 7)  // a duplicate or a late value
                } else {
                    t += 900_000 + Int64(rng.next() % 200_000)  // ~1 Hz: many 1-min buckets over ~1.7 h
                    times.append(t)
                }
                rows.append(Self.randomRow(&rng))
            }
            try await store.append(Self.group, channels: Self.channels, timestamps: times, columns: Self.columns(rows))
            for (ts, row) in zip(times, rows) { model[ts] = row }
            if round % 3 == 2 { try await store.flush() }
        }
        try await store.flush()
        for width in [60_000_000, 3_600_000_000, 7_200_000_000] as [Int64] {
            let result = try await store.buckets(
                StoreSeriesKey(group: Self.group, channel: "voltage"), in: .min..<Int64.max, width: width)
            #expect(result.fromRollups)
            var expected: [Int64: StoreBucket] = [:]
            for (ts, row) in model.sorted(by: { $0.key < $1.key }) {
                let start = TimeSeriesStore.bucketStart(ts, width)
                var b = expected[start] ?? StoreBucket(
                    start: start, count: 0, nanCount: 0, sum: 0, minimum: .nan, maximum: .nan, first: row.voltage,
                    last: row.voltage)
                b.add(row.voltage)
                expected[start] = b
            }
            let want = expected.values.sorted { $0.start < $1.start }
            #expect(result.buckets.map(\.start) == want.map(\.start), "width \(width)")
            for (got, exp) in zip(result.buckets, want) {
                #expect(got.count == exp.count && got.minimum == exp.minimum && got.maximum == exp.maximum)
                #expect(got.first == exp.first && got.last == exp.last)
                #expect(abs(got.sum - exp.sum) <= 1e-9 * abs(exp.sum))
            }
        }
        // The rollups belong to the database: reopened with other options, it still keeps and uses them.
        let reopened = try TimeSeriesStore(path: temp.path)
        #expect(await reopened.rollupWidths == TimeSeriesStore.standardRollups)
        // Unaligned widths and unflushed rows fall back to chunks, with the same answer.
        try await store.append(Self.group, channels: Self.channels, timestamps: [t + 1], columns: Self.columns([Self.randomRow(&rng)]))
        let fallback = try await store.buckets(
            StoreSeriesKey(group: Self.group, channel: "voltage"), in: .min..<Int64.max, width: 60_000_000)
        #expect(!fallback.fromRollups)
    }

    @Test("retention removes one project's old rows (whole and straddling chunks, rollups) and nothing else")
    func retention() async throws {
        let temp = try TemporaryDatabase()
        let store = try TimeSeriesStore(
            path: temp.path, options: .init(chunkRows: 128, rollupWidths: TimeSeriesStore.standardRollups))
        let other = StoreGroupKey(project: "pilot-b", source: Self.group.source, name: Self.group.name, tags: Self.group.tags)
        var rng = SplitMix64(seed: 5)
        let times = (0..<2000).map { Int64($0) * 1_000_000 + 1_700_000_000_000_000 / 3_600_000_000 * 3_600_000_000 }
        let rows = times.map { _ in Self.randomRow(&rng) }
        for key in [Self.group, other] {
            try await store.append(key, channels: Self.channels, timestamps: times, columns: Self.columns(rows))
        }
        try await store.flush()
        let cutoff = times[1000] + 500_000  // inside a chunk
        // The dry run (`furrow retention --dry-run`) counts what the real pass then deletes, and deletes nothing.
        let preview = try await store.retentionPreview(project: Self.group.project, olderThan: cutoff)
        #expect(try await store.readAll(StoreSeriesKey(group: Self.group, channel: "voltage"), in: .min..<Int64.max).timestamps == times)
        let report = try await store.applyRetention(project: Self.group.project, olderThan: cutoff)
        #expect(preview == report)
        #expect(preview.rowsDeleted == 1001 && preview.chunksTrimmed == 1)
        #expect(report.rowsDeleted == 1001)
        #expect(report.chunksTrimmed == 1)
        var model: [Int64: Row] = [:]
        for (t, row) in zip(times, rows) where t >= cutoff { model[t] = row }
        try await Self.expectMatches(store, model)
        let kept = try await store.readAll(StoreSeriesKey(group: other, channel: "mode"), in: .min..<Int64.max)
        #expect(kept.timestamps == times)
        let minutes = try await store.buckets(StoreSeriesKey(group: Self.group, channel: "voltage"), in: .min..<Int64.max, width: 60_000_000)
        #expect(minutes.fromRollups)
        #expect(minutes.buckets.reduce(0) { $0 + $1.count } == model.count)
        #expect(minutes.buckets.first?.first == model[model.keys.min()!]!.voltage)
    }

    @Test("bucket percentiles equal numpy.percentile (linear) on the same values")
    func percentiles() async throws {
        let temp = try TemporaryDatabase()
        let store = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 4))
        let group = StoreGroupKey(project: "p", source: "s", name: "g")
        let channel = [StoreChannel(name: "v", valueType: .float64)]
        // Expected values printed by numpy 1.x: np.percentile(v, [0, 10, 25, 50, 90, 99, 100]).
        let v: [Double] = [3.5, 1.0, 7.25, 2.0, 9.0, 4.0, 4.0, 10.5, 0.25]
        try await store.append(group, channels: channel, timestamps: (0..<9).map { Int64($0) }, columns: [.float64(v)])
        try await store.append(group, channels: channel, timestamps: [1_000_000, 1_000_001], columns: [.float64([5.0, .nan])])
        try await store.flush()
        let result = try await store.buckets(
            StoreSeriesKey(group: group, channel: "v"), in: .min..<Int64.max, width: 1_000_000,
            percentiles: [0, 10, 25, 50, 90, 99, 100])
        #expect(result.buckets.count == 2)
        let want: [Double] = [0.25, 0.8500000000000001, 2.0, 4.0, 9.3, 10.379999999999999, 10.5]
        for (got, expected) in zip(result.buckets[0].percentiles, want) { #expect(abs(got - expected) <= 1e-12) }
        #expect(result.buckets[1].percentiles == [5, 5, 5, 5, 5, 5, 5])
        #expect(result.buckets[1].count == 2 && result.buckets[1].nanCount == 1)
    }

    @Test("a corrupt chunk is reported with its series and range and skipped; the others still read")
    func corruptChunk() async throws {
        let temp = try TemporaryDatabase()
        let store = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 100))
        var rng = SplitMix64(seed: 3)
        var model: [Int64: Row] = [:]
        let times = (0..<1000).map { Int64($0) * 1000 }
        let rows = times.map { _ in Self.randomRow(&rng) }
        try await store.append(Self.group, channels: Self.channels, timestamps: times, columns: Self.columns(rows))
        try await store.flush()
        for (ts, row) in zip(times, rows) { model[ts] = row }
        // Flip one byte in the middle of the voltage chunk that starts at 300 ms (column 1 of that row-group
        // chunk: range 2 of its directory, after the time chunk's).
        let pool = try DatabasePool(path: temp.path)
        try await pool.write { db in
            var data = [UInt8](try Data.fetchOne(db, sql: "SELECT data FROM groupChunk WHERE start = 300000")!)
            let voltage = try data.withUnsafeBytes { try StoreRowGroup.directory($0, verifyingChecksum: true) }[2]
            data[(voltage.lowerBound + voltage.upperBound) / 2] ^= 0x40
            try db.execute(sql: "UPDATE groupChunk SET data = ? WHERE start = 300000", arguments: [Data(data)])
        }
        let result = try await store.readAll(StoreSeriesKey(group: Self.group, channel: "voltage"), in: .min..<Int64.max)
        #expect(result.skipped.count == 1)
        if case .corruptChunk(let series, let start, let end, _)? = result.skipped.first {
            #expect(series.hasSuffix(".voltage"))
            #expect(start == 300_000 && end == 399_000)
        } else {
            Issue.record("expected a corrupt-chunk report, got \(result.skipped)")
        }
        #expect(result.timestamps == times.filter { !(300_000...399_000).contains($0) })
        // Other channels of the same rows are intact.
        try await Self.expectMatches(
            store, model.filter { !(300_000...399_000).contains($0.key) }, range: 0..<300_000)
    }

    @Test("projects are separate; a group's channels cannot change; bad writes are refused")
    func isolationAndSchema() async throws {
        let temp = try TemporaryDatabase()
        let store = try TimeSeriesStore(path: temp.path)
        let other = StoreGroupKey(project: "pilot-b", source: Self.group.source, name: Self.group.name, tags: Self.group.tags)
        var rng = SplitMix64(seed: 1)
        let rows = (0..<10).map { _ in Self.randomRow(&rng) }
        try await store.append(Self.group, channels: Self.channels, timestamps: Array(0..<10), columns: Self.columns(rows))
        try await store.append(other, channels: Self.channels, timestamps: Array(100..<105), columns: Self.columns(Array(rows[0..<5])))
        try await store.flush()
        let a = try await store.readAll(StoreSeriesKey(group: Self.group, channel: "mode"), in: .min..<Int64.max)
        let b = try await store.readAll(StoreSeriesKey(group: other, channel: "mode"), in: .min..<Int64.max)
        #expect(a.timestamps == Array(0..<10))
        #expect(b.timestamps == Array(100..<105))
        await #expect(throws: StoreError.self) {
            try await store.append(
                Self.group, channels: Array(Self.channels.dropLast()), timestamps: [1], columns: Array(Self.columns([rows[0]]).dropLast()))
        }
        await #expect(throws: StoreError.self) {
            try await store.append(Self.group, channels: Self.channels, timestamps: [1, 2], columns: Self.columns([rows[0]]))
        }
        await #expect(throws: StoreError.self) {
            try await store.readAll(StoreSeriesKey(group: Self.group, channel: "nope"), in: .min..<Int64.max)
        }
        // The refused writes changed nothing.
        let again = try await store.readAll(StoreSeriesKey(group: Self.group, channel: "mode"), in: .min..<Int64.max)
        #expect(again.timestamps == Array(0..<10))
    }
}
