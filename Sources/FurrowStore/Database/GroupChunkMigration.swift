import Foundation
import GRDB

/// Moves a store file from the per-series chunk layout (`timeChunk` + `valueChunk`, migrations v1-v4) to one
/// row per row-group chunk (`groupChunk`, migration v5), inside that migration's transaction.
///
/// The chunks' bytes are not re-encoded: each time chunk and its group's value chunks (in column order) are
/// framed as one `StoreEncodedRowGroup`, so every value, codec, statistic and CRC stays what was written.
enum GroupChunkMigration {
    static func moveSeriesChunks(_ db: Database) throws {
        // Series ids of every group, in column (position) order.
        var columns: [Int64: [Int64]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT rowGroup, id FROM series ORDER BY rowGroup, position") {
            columns[row[0], default: []].append(row[1])
        }
        let value = try db.makeStatement(sql: "SELECT data FROM valueChunk WHERE series = ? AND start = ?")
        let insert = try db.makeStatement(
            sql: "INSERT INTO groupChunk (rowGroup, start, end, count, data) VALUES (?, ?, ?, ?, ?)")
        let times = try Row.fetchCursor(
            db, sql: "SELECT rowGroup, start, end, count, data FROM timeChunk ORDER BY rowGroup, start")
        while let time = try times.next() {
            let group: Int64 = time[0]
            let start: Int64 = time[1]
            let values = try (columns[group] ?? []).map { series in
                // A value chunk that was missing stays missing: an empty chunk, which a read reports as a
                // corrupt chunk of that series (as the old layout's reads did).
                try Data.fetchOne(value, arguments: [series, start]).map { [UInt8]($0) } ?? []
            }
            let data: Data = time[4]
            let blob = StoreEncodedRowGroup(time: [UInt8](data), columns: values).serialized()
            try insert.execute(arguments: [group, start, time[2] as Int64, time[3] as Int64, Data(blob)])
        }
    }
}

extension StoreDatabase {
    /// Rewrites the store file at `path` with `pageSize` pages (`VACUUM`), returning the bytes the file shrank by.
    ///
    /// SQLite fixes a file's page size when it creates it and changes it only by `VACUUM` outside WAL mode, so
    /// a file created before the page size changed (64 KiB pages until migration v5) keeps its pages, and the
    /// space its dropped tables held, until it is rebuilt. Needs the file to itself: no store, server or other
    /// connection may have it open. Every row is copied as it is; the file is back in WAL mode afterwards.
    @discardableResult
    public static func rebuild(path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        return try queue.inDatabase { db in
            let before = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let beforeSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? pageSize
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            try db.execute(sql: "PRAGMA page_size = \(pageSize)")
            try db.execute(sql: "VACUUM")
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            let after = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            return before * beforeSize - after * pageSize
        }
    }
}
