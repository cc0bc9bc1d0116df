import Foundation
import GRDB

/// What a retention pass removed.
public struct StoreRetentionReport: Sendable, Hashable {
    /// Chunks deleted whole.
    public var chunksDeleted = 0
    /// Chunks that straddled the cutoff and were rewritten without their old rows.
    public var chunksTrimmed = 0
    /// Rows (timestamps) removed.
    public var rowsDeleted = 0
}

extension TimeSeriesStore {
    /// Deletes every value of `project` older than `cutoff` (µs): whole chunks, the old rows of a chunk that
    /// straddles the cutoff, and the rollup buckets that end before it (a straddling bucket is recomputed).
    /// Other projects are not touched. Unflushed rows are flushed first, so they obey the cutoff too.
    @discardableResult
    public func applyRetention(project: String, olderThan cutoff: Int64) async throws -> StoreRetentionReport {
        for key in groups.keys where key.project == project { try await flush(key) }
        let rollupWidths = self.rollupWidths
        defer {
            // After the write (cached buckets from before it, or from queries during it, name removed chunks).
            bucketCaches.advanceAll()
        }
        return try await writeToEnd { db in
            var report = StoreRetentionReport()
            for (group, name) in try Self.projectGroups(db, project: project) {
                let series = try Row.fetchAll(
                    db, sql: "SELECT id, valueType FROM series WHERE rowGroup = ? ORDER BY position", arguments: [group])
                let seriesIDs: [Int64] = series.map { $0["id"] }
                let types = series.map { StoreValueType(rawValue: $0["valueType"]) ?? .float64 }
                // Whole chunks before the cutoff.
                let old = try Row.fetchAll(
                    db, sql: "SELECT start, count FROM groupChunk WHERE rowGroup = ? AND end < ?", arguments: [group, cutoff])
                for chunk in old {
                    try Self.deleteChunk(db, group: group, start: chunk["start"])
                    report.chunksDeleted += 1
                    report.rowsDeleted += chunk["count"] as Int
                }
                // A chunk across the cutoff keeps its newer rows.
                if let start = try Int64.fetchOne(
                    db, sql: "SELECT start FROM groupChunk WHERE rowGroup = ? AND start < ? AND end >= ?",
                    arguments: [group, cutoff, cutoff])
                {
                    let rows = try Self.loadChunk(db, group: group, types: types, start: start, name: name)
                    let kept = rows.rows(in: cutoff..<Int64.max)
                    try Self.deleteChunk(db, group: group, start: start)
                    let encoding = try Row.fetchAll(
                        db, sql: "SELECT decimalExponent FROM series WHERE rowGroup = ? ORDER BY position", arguments: [group]
                    ).map { StoreEncodingOptions(decimalExponent: $0["decimalExponent"]) }
                    try Self.insertChunk(db, group: group, rows: kept, encoding: encoding)
                    report.chunksTrimmed += 1
                    report.rowsDeleted += rows.count - kept.count
                }
                for width in rollupWidths {
                    for id in seriesIDs {
                        try db.execute(
                            sql: "DELETE FROM rollup WHERE series = ? AND width = ? AND start < ?",
                            arguments: [id, width, Self.bucketStart(cutoff, width)])
                    }
                    try Self.recomputeRollups(
                        db, group: group, seriesIDs: seriesIDs, types: types, width: width, covering: cutoff...cutoff,
                        name: name)
                }
            }
            return report
        }
    }

    /// The row groups of `project`: id and `project/source/name` (for reports).
    static func projectGroups(_ db: Database, project: String) throws -> [(id: Int64, name: String)] {
        try Row.fetchAll(
            db, sql: "SELECT id, project || '/' || source || '/' || name AS name FROM rowGroup WHERE project = ?",
            arguments: [project]
        ).map { ($0["id"], $0["name"]) }
    }

    /// What `applyRetention(project:olderThan:)` would delete now, without deleting anything (flushed rows
    /// only: unflushed rows are not counted).
    public func retentionPreview(project: String, olderThan cutoff: Int64) async throws -> StoreRetentionReport {
        try await pool.read { db in
            var report = StoreRetentionReport()
            for (group, name) in try Self.projectGroups(db, project: project) {
                let old = try Row.fetchOne(
                    db, sql: "SELECT COUNT(*), COALESCE(SUM(count), 0) FROM groupChunk WHERE rowGroup = ? AND end < ?",
                    arguments: [group, cutoff])
                report.chunksDeleted += old?[0] ?? 0
                report.rowsDeleted += old?[1] ?? 0
                if let start = try Int64.fetchOne(
                    db, sql: "SELECT start FROM groupChunk WHERE rowGroup = ? AND start < ? AND end >= ?",
                    arguments: [group, cutoff, cutoff])
                {
                    let rows = try Self.loadChunk(db, group: group, types: [], start: start, name: name)
                    report.chunksTrimmed += 1
                    report.rowsDeleted += rows.timestamps.partitioningIndex { $0 >= cutoff }
                }
            }
            return report
        }
    }
}
