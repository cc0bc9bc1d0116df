import Foundation
import FurrowStore
import GRDB

/// Bytes on disk of one database, before and after compaction.
struct DiskSize: Sendable, Codable {
    /// Main file + WAL right after the last write (what a running daemon leaves).
    var bytesAsWritten: Int
    /// Main file after `PRAGMA wal_checkpoint(TRUNCATE)` (WAL empty).
    var bytesCheckpointed: Int
    /// Main file after `VACUUM` and another checkpoint.
    var bytesVacuumed: Int
    var pageSize: Int
    /// Per table/index (SQLite's dbstat), after VACUUM; empty if this SQLite lacks dbstat.
    var tables: [TableSize]
}

struct TableSize: Sendable, Codable {
    var name: String
    var pages: Int
    var overflowPages: Int
    /// Page bytes, payload bytes (the rows' cells), and unused bytes in those pages.
    var bytes: Int
    var payload: Int
    var unused: Int
}

/// Chunk bytes of one channel, summed over every source that has it.
struct ChannelBytes: Sendable, Codable {
    var group: String
    var channel: String
    var type: String
    var decimalExponent: Int?
    var series = 0
    var values = 0
    var chunks = 0
    /// Whole value-chunk BLOBs (header, statistics, payload).
    var bytes = 0
    var payloadBytes = 0
    /// This channel's share of its group's time chunks (time bytes / channels of the group).
    var timeShareBytes = 0.0
    /// How many chunks each codec won.
    var codecs: [String: Int] = [:]

    var bytesPerValue: Double { Double(bytes) / Double(values) }
    var bytesPerValueWithTime: Double { (Double(bytes) + timeShareBytes) / Double(values) }
}

/// Time-chunk bytes of one kind of row group, summed over sources.
struct TimeBytes: Sendable, Codable {
    var group: String
    var rows = 0
    var chunks = 0
    var bytes = 0
    var codecs: [String: Int] = [:]
    var bytesPerRow: Double { Double(bytes) / Double(rows) }
}

/// Rows of the rollup table (per-bucket aggregates the store keeps beside the chunks), per group name.
struct RollupRows: Sendable, Codable {
    var group: String
    var widthSeconds: Int
    var rows: Int
    var values: Int
}

struct ChunkBreakdown: Sendable, Codable {
    /// Rows of `groupChunk` (one BLOB per row-group chunk: a directory, the time chunk, the value chunks).
    var groupChunks = 0
    var timeChunks = 0
    var valueChunks = 0
    var timeBytes = 0
    var valueBytes = 0
    /// The row-group directories (8 + 4 bytes per chunk in the BLOB).
    var directoryBytes = 0
    /// Header + statistics bytes of every chunk (time and value).
    var headerBytes = 0
    var channels: [ChannelBytes] = []
    var times: [TimeBytes] = []
    /// Empty if the store keeps no rollups.
    var rollups: [RollupRows] = []
    /// Bytes of the stored BLOBs: the chunks and their directories.
    var blobBytes: Int { timeBytes + valueBytes + directoryBytes }
}

/// Writing the dataset through `TimeSeriesStore`, measuring it, and asking it the queries.
enum StoreBenchmark {
    /// Appends every batch (awaiting each, as a daemon's single writer task would), then flushes. With
    /// `live`, also flushes every time the batches' data second changes.
    static func ingest(
        _ schedule: IngestSchedule, path: String, options: TimeSeriesStore.Options, live: Bool = false
    ) async throws -> Timing {
        let store = try TimeSeriesStore(path: path, options: options)
        let (_, timing) = try await Timing.measure {
            var window: Int64? = nil
            for batch in schedule.batches {
                if live, let w = window, batch.window != w { try await store.flush() }
                window = batch.window
                try await store.append(
                    batch.key, channels: batch.channels, timestamps: batch.timestamps, columns: batch.columns)
            }
            try await store.flush()
        }
        return timing
    }

    // MARK: - Size

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Checkpoints and vacuums the (closed) database at `path`; sizes before and after.
    static func compact(_ path: String) throws -> DiskSize {
        let asWritten = fileSize(path) + fileSize(path + "-wal")
        let queue = try DatabaseQueue(path: path)
        return try queue.inDatabase { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            let checkpointed = fileSize(path) + fileSize(path + "-wal")
            try db.execute(sql: "VACUUM")
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            let vacuumed = fileSize(path) + fileSize(path + "-wal")
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            var tables: [TableSize] = []
            if let rows = try? Row.fetchAll(
                db,
                sql: """
                    SELECT name, count(*) AS pages, sum(pagetype = 'overflow') AS overflow, sum(pgsize) AS bytes,
                           sum(payload) AS payload, sum(unused) AS unused
                    FROM dbstat GROUP BY name ORDER BY bytes DESC
                    """)
            {
                tables = rows.map {
                    TableSize(
                        name: $0["name"], pages: $0["pages"], overflowPages: $0["overflow"], bytes: $0["bytes"],
                        payload: $0["payload"], unused: $0["unused"])
                }
            }
            return DiskSize(
                bytesAsWritten: asWritten, bytesCheckpointed: checkpointed, bytesVacuumed: vacuumed, pageSize: pageSize,
                tables: tables)
        }
    }

    /// Which codec won each chunk, and where the chunk bytes go, per channel and per group kind.
    static func breakdown(_ path: String) throws -> ChunkBreakdown {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            var result = ChunkBreakdown()
            var channels: [String: ChannelBytes] = [:]
            var order: [String] = []
            var channelsPerGroup: [String: Int] = [:]
            // Channels of every group, in column order.
            var groupChannels: [Int64: [(channel: String, decimalExponent: Int?, series: Int64)]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT rowGroup, channel, decimalExponent, id FROM series ORDER BY rowGroup, position")
            {
                groupChannels[row[0], default: []].append((row[1], row[2], row[3]))
            }
            var times: [String: TimeBytes] = [:]
            var seenSeries = Set<Int64>()
            let chunks = try Row.fetchCursor(
                db,
                sql: """
                    SELECT g.id AS gid, g.name AS grp, c.data FROM groupChunk c JOIN rowGroup g ON g.id = c.rowGroup
                    ORDER BY g.id, c.start
                    """)
            while let row = try chunks.next() {
                let group: String = row["grp"]
                let columns = groupChannels[row["gid"]] ?? []
                let blob = [UInt8](row["data"] as Data)
                let ranges = try blob.withUnsafeBytes { try StoreRowGroup.chunkRanges($0) }
                guard ranges.count == columns.count + 1 else {
                    throw BenchFailure("\(group): a chunk of \(ranges.count - 1) columns for \(columns.count) channels")
                }
                result.groupChunks += 1
                result.directoryBytes += ranges[0].lowerBound
                let time = Array(blob[ranges[0]])
                let timeHeader = try StoreChunk.readHeader(time, verifyingChecksum: false)
                times[group, default: TimeBytes(group: group)].rows += timeHeader.count
                times[group]!.chunks += 1
                times[group]!.bytes += time.count
                times[group]!.codecs[timeHeader.codec.description, default: 0] += 1
                result.timeChunks += 1
                result.timeBytes += time.count
                result.headerBytes += timeHeader.payloadOffset
                channelsPerGroup[group] = columns.count
                for (column, range) in zip(columns, ranges.dropFirst()) {
                    let name = group + "." + column.channel
                    let data = Array(blob[range])
                    let header = try StoreChunk.readHeader(data, verifyingChecksum: false)
                    if channels[name] == nil {
                        order.append(name)
                        channels[name] = ChannelBytes(
                            group: group, channel: column.channel, type: header.valueType.description,
                            decimalExponent: column.decimalExponent)
                    }
                    if seenSeries.insert(column.series).inserted { channels[name]!.series += 1 }
                    channels[name]!.values += header.count
                    channels[name]!.chunks += 1
                    channels[name]!.bytes += data.count
                    channels[name]!.payloadBytes += header.payloadSize
                    channels[name]!.codecs[header.codec.description, default: 0] += 1
                    result.valueChunks += 1
                    result.valueBytes += data.count
                    result.headerBytes += header.payloadOffset
                }
            }
            for name in order {
                var c = channels[name]!
                if let t = times[c.group], let width = channelsPerGroup[c.group] {
                    c.timeShareBytes = Double(t.bytes) / Double(width)
                }
                result.channels.append(c)
            }
            result.times = times.values.sorted { $0.bytes > $1.bytes }
            if try db.tableExists("rollup") {
                result.rollups = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT g.name AS grp, r.width, count(*) AS rows, sum(r.count) AS vals FROM rollup r
                        JOIN series s ON s.id = r.series JOIN rowGroup g ON g.id = s.rowGroup
                        GROUP BY g.name, r.width ORDER BY rows DESC
                        """
                ).map {
                    RollupRows(
                        group: $0["grp"], widthSeconds: Int(($0["width"] as Int64) / 1_000_000), rows: $0["rows"],
                        values: $0["vals"])
                }
            }
            return result
        }
    }

    // MARK: - Read-back

    /// Reads every series back and compares it bit for bit with the dataset; returns the values read.
    static func verifyAll(_ store: TimeSeriesStore, _ dataset: Dataset) async throws -> Int {
        var values = 0
        for group in dataset.groups {
            for (c, channel) in group.channels.enumerated() {
                let key = StoreSeriesKey(group: group.key, channel: channel.name)
                let got = try await store.readAll(key, in: Int64.min..<Int64.max)
                guard got.skipped.isEmpty else { throw BenchFailure("\(key): \(got.skipped.count) chunks skipped") }
                guard got.timestamps == group.timestamps else {
                    throw BenchFailure(
                        "\(key): \(got.timestamps.count) timestamps read back, \(group.rows) written, or they differ")
                }
                guard got.values.isIdentical(to: group.columns[c]) else {
                    throw BenchFailure("\(key): values read back differ from those written (not bit-exact)")
                }
                values += group.rows
            }
        }
        return values
    }

    // MARK: - Queries

    /// How the store answered a bucket query.
    struct Path: Sendable, Codable {
        /// Chunks answered from their header statistics.
        var chunksFromStatistics = 0
        /// Series answered from rollups.
        var seriesFromRollups = 0
    }

    /// The store's answer to one query, and how it got it.
    static func answer(_ target: Queries.Target, store: TimeSeriesStore) async throws -> (QueryAnswer, Path) {
        if let width = target.spec.width {
            var rows: [BucketRow] = []
            var path = Path()
            // Many series (Q2's 50 soil nodes) in one call: located in one read, planned and read in one more.
            let results = try await store.buckets(target.keys, in: target.range, width: width)
            for (s, (key, result)) in zip(target.keys, results).enumerated() {
                guard result.skipped.isEmpty else { throw BenchFailure("\(key): chunks skipped: \(result.skipped)") }
                path.chunksFromStatistics += result.chunksFromStatistics
                if result.fromRollups { path.seriesFromRollups += 1 }
                rows += result.buckets.map {
                    BucketRow(
                        series: s, start: $0.start, count: $0.count, mean: $0.mean, minimum: $0.minimum,
                        maximum: $0.maximum)
                }
            }
            return (.buckets(rows), path)
        }
        var raw = RawAnswer()
        for key in target.keys {
            for try await event in try await store.read(key, in: target.range) {
                switch event {
                case .rows(let slice):
                    let t = slice.timestamps
                    switch slice.values {
                    case .float32(let v): for i in v.indices { raw.add(t[i], Double(v[i])) }
                    case .float64(let v): for i in v.indices { raw.add(t[i], v[i]) }
                    case .int64(let v), .state(let v): for i in v.indices { raw.add(t[i], Double(v[i])) }
                    default: throw BenchFailure("\(key): unexpected column type")
                    }
                case .skipped(let error):
                    throw BenchFailure("\(key): \(error)")
                }
            }
        }
        return (.raw(raw), Path())
    }
}
