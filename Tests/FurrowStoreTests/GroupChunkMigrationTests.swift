import Foundation
import GRDB
import Testing

@testable import FurrowStore

/// A store file written in the layout before migration v5 (64 KiB pages, `timeChunk` + one `valueChunk` row per
/// series, built here with that schema's SQL and the same chunk encoder) opens, is migrated to `groupChunk`, and
/// reads back every value bit for bit; it takes new writes into its migrated chunks, and `rebuild` gives it the
/// new page size.
@Suite("Migration to row-group chunks")
struct GroupChunkMigrationTests {
    typealias T = TimeSeriesStoreTests

    static let channels = [
        StoreChannel(name: "roll", valueType: .float32, unit: "rad"),
        StoreChannel(name: "voltage", valueType: .float64, unit: "V", decimalExponent: 2),
        StoreChannel(name: "mode", valueType: .state),
        StoreChannel(name: "text", valueType: .string),
        StoreChannel(name: "count", valueType: .int64),
        StoreChannel(name: "armed", valueType: .bool),
    ]

    /// The store's schema as migrations v1-v4 created it (main before v5), recorded as applied.
    static func writeOldSchema(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE rowGroup (
                    id INTEGER PRIMARY KEY, project TEXT NOT NULL, source TEXT NOT NULL, name TEXT NOT NULL,
                    tags TEXT NOT NULL, UNIQUE (project, source, name, tags));
                CREATE TABLE series (
                    id INTEGER PRIMARY KEY, rowGroup INTEGER NOT NULL REFERENCES rowGroup(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL, channel TEXT NOT NULL, valueType INTEGER NOT NULL, unit TEXT,
                    decimalExponent INTEGER, UNIQUE (rowGroup, channel), UNIQUE (rowGroup, position));
                CREATE TABLE timeChunk (
                    rowGroup INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, count INTEGER NOT NULL,
                    data BLOB NOT NULL, PRIMARY KEY (rowGroup, start)) WITHOUT ROWID;
                CREATE TABLE valueChunk (
                    series INTEGER NOT NULL, start INTEGER NOT NULL, data BLOB NOT NULL,
                    PRIMARY KEY (series, start)) WITHOUT ROWID;
                CREATE TABLE rollup (
                    series INTEGER NOT NULL, width INTEGER NOT NULL, start INTEGER NOT NULL, count INTEGER NOT NULL,
                    nanCount INTEGER NOT NULL, sum REAL, minimum REAL, maximum REAL, first REAL, last REAL,
                    PRIMARY KEY (series, width, start)) WITHOUT ROWID;
                CREATE TABLE setting (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE checkpoint (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES
                    ('timeSeries-v1'), ('timeSeries-v2-rollups'), ('timeSeries-v3-settings'),
                    ('timeSeries-v4-checkpoints');
                """)
    }

    /// Rows of one group: every type, NaN payloads, -0.0, extremes.
    static func rows(count: Int, seed: UInt64, from: Int64) -> (timestamps: [Int64], columns: [StoreColumn]) {
        var rng = SplitMix64(seed: seed)
        var t = from
        let timestamps = (0..<count).map { _ -> Int64 in
            t += 20_000 + Int64(rng.next() % 3_000)
            return t
        }
        var roll = (0..<count).map { i in Float(sin(Double(i) / 40)) + Float(rng.next() % 1000) * 1e-6 }
        var voltage = (0..<count).map { _ in Double(2200 + Int(rng.next() % 300)) / 100 }
        var counts = (0..<count).map { _ in Int64(bitPattern: rng.next()) }
        if count > 5 {
            roll[3] = Float(bitPattern: 0x7FC0_1234)
            roll[4] = -0.0
            voltage[5] = .nan
            counts[0] = .min
            counts[1] = .max
        }
        return (
            timestamps,
            [
                .float32(roll), .float64(voltage), .state((0..<count).map { Int64($0 / 97) }),
                .string((0..<count).map { ["AUTO", "RTL", "LOITER", "é"][($0 / 50) % 4] }), .int64(counts),
                .bool((0..<count).map { $0 % 70 < 30 }),
            ]
        )
    }

    @Test("an old-layout file opens migrated, every value intact; it takes new writes; rebuild shrinks its pages")
    func migratesOldFile() async throws {
        let temp = try T.TemporaryDatabase()
        let groups = (0..<3).map {
            StoreGroupKey(project: "pilot", source: "mav:\($0)/1", name: "TEST", tags: ["field": "f\($0)"])
        }
        var model: [StoreGroupKey: (timestamps: [Int64], columns: [StoreColumn])] = [:]
        var corruptGroup: (key: StoreGroupKey, start: Int64, end: Int64)?
        // The old layout, written as main wrote it: 64 KiB pages, WAL, chunks of up to 500 rows.
        do {
            let queue = try DatabaseQueue(path: temp.path)
            try queue.inDatabase { db in
                try db.execute(sql: "PRAGMA page_size = 65536")
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try Self.writeOldSchema(db)
                for (g, key) in groups.enumerated() {
                    let data = Self.rows(count: 1_700 + 300 * g, seed: UInt64(g + 1), from: 1_700_000_000_000_000)
                    model[key] = data
                    try db.execute(
                        sql: "INSERT INTO rowGroup (project, source, name, tags) VALUES (?, ?, ?, ?)",
                        arguments: [key.project, key.source, key.name, key.canonicalTags])
                    let group = db.lastInsertedRowID
                    var seriesIDs: [Int64] = []
                    for (position, channel) in Self.channels.enumerated() {
                        try db.execute(
                            sql: """
                                INSERT INTO series (rowGroup, position, channel, valueType, unit, decimalExponent)
                                VALUES (?, ?, ?, ?, ?, ?)
                                """,
                            arguments: [
                                group, position, channel.name, channel.valueType.rawValue, channel.unit,
                                channel.decimalExponent,
                            ])
                        seriesIDs.append(db.lastInsertedRowID)
                    }
                    for offset in stride(from: 0, to: data.timestamps.count, by: 500) {
                        let range = offset..<Swift.min(offset + 500, data.timestamps.count)
                        let times = Array(data.timestamps[range])
                        try db.execute(
                            sql: "INSERT INTO timeChunk (rowGroup, start, end, count, data) VALUES (?, ?, ?, ?, ?)",
                            arguments: [
                                group, times[0], times[times.count - 1], times.count,
                                Data(StoreChunk.encode(.timestamp(times))),
                            ])
                        for (i, (id, channel)) in zip(seriesIDs, Self.channels).enumerated() {
                            var bytes = StoreChunk.encode(
                                data.columns[i].slice(range),
                                options: StoreEncodingOptions(decimalExponent: channel.decimalExponent))
                            // One damaged value chunk (voltage of group 1's second chunk): still reported after
                            // the migration, with its series and range, and skipped.
                            if g == 1 && offset == 500 && channel.name == "voltage" {
                                bytes[bytes.count / 2] ^= 0x40
                                corruptGroup = (key, times[0], times[times.count - 1])
                            }
                            try db.execute(
                                sql: "INSERT INTO valueChunk (series, start, data) VALUES (?, ?, ?)",
                                arguments: [id, times[0], Data(bytes)])
                        }
                    }
                }
            }
        }

        // Opening migrates.
        let store = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 500))
        let (tables, pageSize) = try await store.pool.read { db in
            (
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"),
                try Int.fetchOne(db, sql: "PRAGMA page_size")!
            )
        }
        #expect(tables.contains("groupChunk") && !tables.contains("timeChunk") && !tables.contains("valueChunk"))
        #expect(pageSize == 65536, "the page size changes only with rebuild")
        let corrupt = try #require(corruptGroup)
        try await Self.expectModel(store, model, groups: groups, corrupt: corrupt)

        // New rows into the middle of a migrated chunk (a merge re-encodes it) and after the end.
        let key = groups[0]
        let old = model[key]!
        let late = [old.timestamps[100] + 1, old.timestamps[old.timestamps.count - 1] + 7]
        let extra = Self.rows(count: 2, seed: 99, from: 0).columns
        try await store.append(key, channels: Self.channels, timestamps: late, columns: extra)
        try await store.flush()
        var merged = StoreRows(timestamps: old.timestamps, columns: old.columns)
        merged = StoreRows.merge(older: merged, newer: StoreRows(timestamps: late, columns: extra))
        model[key] = (merged.timestamps, merged.columns)
        try await Self.expectModel(store, model, groups: groups, corrupt: corrupt)

        // Rebuilt with the new page size: smaller, the same values.
        let sizeBefore = try FileManager.default.attributesOfItem(atPath: temp.path)[.size] as! Int
        try await store.pool.close()
        let shrank = try StoreDatabase.rebuild(path: temp.path)
        let sizeAfter = try FileManager.default.attributesOfItem(atPath: temp.path)[.size] as! Int
        #expect(shrank > 0 && sizeAfter < sizeBefore)
        let reopened = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 500))
        let (newPageSize, journal) = try await reopened.pool.read { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA page_size")!,
                try String.fetchOne(db, sql: "PRAGMA journal_mode")!
            )
        }
        #expect(newPageSize == StoreDatabase.pageSize && journal == "wal")
        try await Self.expectModel(reopened, model, groups: groups, corrupt: corrupt)
    }

    /// Every series of every group reads back bit for bit, except the one corrupt chunk, which is reported.
    static func expectModel(
        _ store: TimeSeriesStore, _ model: [StoreGroupKey: (timestamps: [Int64], columns: [StoreColumn])],
        groups: [StoreGroupKey], corrupt: (key: StoreGroupKey, start: Int64, end: Int64)
    ) async throws {
        for key in groups {
            let data = model[key]!
            for (i, channel) in Self.channels.enumerated() {
                let result = try await store.readAll(
                    StoreSeriesKey(group: key, channel: channel.name), in: .min..<Int64.max)
                let all = StoreRows(timestamps: data.timestamps, columns: [data.columns[i]])
                var expected = all
                if key == corrupt.key && channel.name == "voltage" {
                    #expect(result.skipped.count == 1)
                    if case .corruptChunk(let series, let start, let end, _)? = result.skipped.first {
                        #expect(series.hasSuffix(".voltage") && start == corrupt.start && end == corrupt.end)
                    } else {
                        Issue.record("expected a corrupt-chunk report, got \(result.skipped)")
                    }
                    expected = all.rows(in: Int64.min..<corrupt.start)
                    expected.append(all.rows(in: (corrupt.end + 1)..<Int64.max))
                } else {
                    #expect(result.skipped.isEmpty, "\(key).\(channel.name): \(result.skipped)")
                }
                #expect(result.timestamps == expected.timestamps, "\(key).\(channel.name)")
                #expect(result.values.isIdentical(to: expected.columns[0]), "\(key).\(channel.name) differs")
            }
        }
    }
}
