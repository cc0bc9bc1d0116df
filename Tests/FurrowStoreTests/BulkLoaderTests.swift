import Foundation
import GRDB
import Testing

@testable import FurrowStore

/// The bulk loader stores what the store's own append stores, bit for bit; staged sources are invisible until
/// moved, and a deleted source leaves nothing behind.
@Suite("Bulk loading and staged sources")
struct BulkLoaderTests {
    typealias T = TimeSeriesStoreTests

    /// Rows of three groups in appends of uneven sizes; `backwards` makes one group step back in time once.
    static func appends(project: String, source: String, backwards: Bool, seed: UInt64) -> [StoreAppend] {
        var rng = SplitMix64(seed: seed)
        var result: [StoreAppend] = []
        var clocks: [Int64] = [1_700_000_000_000_000, 1_700_000_000_000_500, 1_700_000_000_001_000]
        for step in 0..<60 {
            let g = step % 3
            let n = 1 + Int(rng.next() % 700)
            var times: [Int64] = []
            for _ in 0..<n {
                clocks[g] += Int64(1 + rng.next() % 20_000)
                times.append(clocks[g])
            }
            if backwards && g == 1 && step == 31 { times = times.map { $0 - 5_000_000 } }
            let rows = (0..<n).map { _ in T.randomRow(&rng) }
            result.append(
                StoreAppend(
                    group: StoreGroupKey(project: project, source: source, name: "G\(g)"), channels: T.channels,
                    timestamps: times, columns: T.columns(rows)))
        }
        return result
    }

    static func everything(_ store: TimeSeriesStore, project: String, source: String) async throws -> [String: [Int64: T.Row]] {
        var all: [String: [Int64: T.Row]] = [:]
        for g in 0..<3 {
            let group = StoreGroupKey(project: project, source: source, name: "G\(g)")
            var columns: [[Any]] = []
            var times: [Int64] = []
            for channel in T.channels {
                let (t, values, skipped) = try await store.readAll(StoreSeriesKey(group: group, channel: channel.name), in: Int64.min..<Int64.max)
                #expect(skipped.isEmpty)
                times = t
                switch values {
                case .float32(let v): columns.append(v)
                case .float64(let v): columns.append(v)
                case .state(let v): columns.append(v)
                case .string(let v): columns.append(v)
                default: Issue.record("unexpected type")
                }
            }
            var rows: [Int64: T.Row] = [:]
            for (i, t) in times.enumerated() {
                rows[t] = T.Row(
                    roll: columns[0][i] as! Float, voltage: columns[1][i] as! Double, mode: columns[2][i] as! Int64,
                    text: columns[3][i] as! String)
            }
            all["G\(g)"] = rows
        }
        return all
    }

    @Test(arguments: [false, true])
    func loaderStoresWhatAppendStores(backwards: Bool) async throws {
        let db = try T.TemporaryDatabase()
        let store = try TimeSeriesStore(path: db.path, options: .init(chunkRows: 512))
        for a in Self.appends(project: "p", source: "reference", backwards: backwards, seed: 7) {
            try await store.append(a.group, channels: a.channels, timestamps: a.timestamps, columns: a.columns)
        }
        try await store.flush()
        let loader = StoreBulkLoader(store: store, batchPieces: 5)
        for a in Self.appends(project: "p", source: "loaded", backwards: backwards, seed: 7) { try await loader.append(a) }
        try await loader.finish()
        #expect(loader.fastRows > 0)
        #expect((loader.mergedRows > 0) == backwards)
        let reference = try await Self.everything(store, project: "p", source: "reference")
        let loaded = try await Self.everything(store, project: "p", source: "loaded")
        #expect(reference == loaded)
        #expect(reference.values.reduce(0) { $0 + $1.count } > 10_000)
        // Chunks are full except each group's last (and, when merging, what the merge made).
        let counts = try await store.pool.read { db in
            try Int.fetchAll(
                db, sql: "SELECT t.count FROM groupChunk t JOIN rowGroup g ON g.id = t.rowGroup WHERE g.source = 'loaded'")
        }
        if !backwards { #expect(counts.filter { $0 != 512 }.count <= 3) }
    }

    @Test func stagedSourceIsInvisibleUntilMovedAndDeletedCompletely() async throws {
        let db = try T.TemporaryDatabase()
        let store = try TimeSeriesStore(path: db.path, options: .init(chunkRows: 256))
        let staging = TimeSeriesStore.stagingPrefix + "p"
        let loader = StoreBulkLoader(store: store)
        for a in Self.appends(project: staging, source: "upload-1", backwards: true, seed: 3) { try await loader.append(a) }
        try await loader.finish()
        #expect(try await store.sources(project: "p").isEmpty)
        let marker = try await store.moveSource(project: staging, source: "upload-1", toProject: "p", toSource: "upload-1") { db in
            try db.execute(sql: "INSERT INTO setting (key, value) VALUES ('moved', 'yes')")
            return 42
        }
        #expect(marker == 42)
        #expect(try await store.sources(project: "p").map(\.name) == ["upload-1"])
        let moved = try await Self.everything(store, project: "p", source: "upload-1")
        #expect(moved.values.reduce(0) { $0 + $1.count } > 10_000)

        // A second staged import that fails is deleted: nothing of it remains, the published one is untouched.
        let second = StoreBulkLoader(store: store)
        for a in Self.appends(project: staging, source: "upload-2", backwards: false, seed: 4) { try await second.append(a) }
        try await second.finish()
        let deletion = try await store.deleteStagedSources()
        #expect(deletion.groups == 3 && deletion.series == 12 && deletion.chunks > 0)
        let leftovers = try await store.pool.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rowGroup WHERE project = ?", arguments: [staging])!,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM series WHERE rowGroup NOT IN (SELECT id FROM rowGroup)")!,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM groupChunk WHERE rowGroup NOT IN (SELECT id FROM rowGroup)")!
            )
        }
        #expect(leftovers == (0, 0, 0))
        #expect(try await Self.everything(store, project: "p", source: "upload-1") == moved)
        try await store.deleteSource(project: "p", source: "upload-1")
        #expect(try await store.sources(project: "p").isEmpty)
    }
}
