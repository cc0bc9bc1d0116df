import Foundation
import GRDB
import FurrowStore

/// The same chunk BLOBs laid out other ways in SQLite, to show what the file overhead is made of.
///
/// SQLite keeps at most ~1/4 of a page of a `WITHOUT ROWID` row on its b-tree page (an index b-tree:
/// max local payload 1,002 bytes on 4 KiB pages) and spills the rest to overflow pages whose last page is
/// left partly empty; a rowid table keeps up to a whole page locally and sizes the local part so that
/// overflow pages are full; a page holds whole local parts only, so each page ends with a gap of up to one.
/// The store keeps one BLOB per row-group chunk (1-60 KB) in a rowid table (`groupChunk`, since migration v5).
struct LayoutProbe: Sendable, Codable {
    struct Variant: Sendable, Codable {
        var name: String
        var pageSize: Int
        var bytes: Int
        var bytesPerValue: Double
    }

    var variants: [Variant]

    enum Table: String, Codable {
        /// `WITHOUT ROWID`, primary key (key, start).
        case withoutRowID
        /// A rowid table with a UNIQUE (key, start) index (the store's since v5).
        case rowid
    }

    static func run(storePath: String, work: String, values: Int) throws -> LayoutProbe {
        let source = try DatabaseQueue(path: storePath)
        // Every row-group chunk, and the same chunks apart (the layout before v5: a time chunk per group and a
        // value chunk per series).
        let (joined, timeChunks, valueChunks) = try source.read { db in
            let joined = try Row.fetchAll(
                db, sql: "SELECT rowGroup, start, end, count, data FROM groupChunk ORDER BY rowGroup, start")
            var series: [Int64: [Int64]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT rowGroup, id FROM series ORDER BY rowGroup, position") {
                series[row[0], default: []].append(row[1])
            }
            var times: [[any DatabaseValueConvertible]] = []
            var values: [[any DatabaseValueConvertible]] = []
            for chunk in joined {
                let blob = [UInt8](chunk["data"] as Data)
                let ranges = try blob.withUnsafeBytes { try StoreRowGroup.chunkRanges($0) }
                let group: Int64 = chunk["rowGroup"]
                let start: Int64 = chunk["start"]
                times.append([group, start, chunk["end"] as Int64, chunk["count"] as Int64, Data(blob[ranges[0]])])
                for (id, range) in zip(series[group] ?? [], ranges.dropFirst()) {
                    values.append([id, start, Data(blob[range])])
                }
            }
            return (joined, times, values)
        }

        var variants: [Variant] = []
        func measure(_ name: String, pageSize: Int, table: Table, joinedGroups: Bool) throws {
            let path = work + "/layout.sqlite"
            for suffix in ["", "-journal", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: path + suffix)
            }
            defer { for suffix in ["", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            let queue = try DatabaseQueue(path: path)
            try queue.inDatabase { db in
                try db.execute(sql: "PRAGMA page_size = \(pageSize)")
                let suffix = table == .withoutRowID ? " WITHOUT ROWID" : ""
                func key(_ columns: String) -> String {
                    table == .withoutRowID ? "PRIMARY KEY (\(columns))" : "UNIQUE (\(columns))"
                }
                try db.inTransaction {
                    if joinedGroups {
                        try db.execute(
                            sql: """
                                CREATE TABLE groupChunk (rowGroup INTEGER NOT NULL, start INTEGER NOT NULL,
                                    end INTEGER NOT NULL, count INTEGER NOT NULL, data BLOB NOT NULL,
                                    \(key("rowGroup, start")))\(suffix)
                                """)
                        for j in joined {
                            try db.execute(
                                sql: "INSERT INTO groupChunk VALUES (?, ?, ?, ?, ?)",
                                arguments: [j["rowGroup"], j["start"], j["end"], j["count"], j["data"]])
                        }
                    } else {
                        try db.execute(
                            sql: """
                                CREATE TABLE timeChunk (rowGroup INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
                                    count INTEGER NOT NULL, data BLOB NOT NULL, \(key("rowGroup, start")))\(suffix);
                                CREATE TABLE valueChunk (series INTEGER NOT NULL, start INTEGER NOT NULL, data BLOB NOT NULL,
                                    \(key("series, start")))\(suffix);
                                """)
                        for t in timeChunks {
                            try db.execute(sql: "INSERT INTO timeChunk VALUES (?, ?, ?, ?, ?)", arguments: StatementArguments(t))
                        }
                        for v in valueChunks {
                            try db.execute(sql: "INSERT INTO valueChunk VALUES (?, ?, ?)", arguments: StatementArguments(v))
                        }
                    }
                    return .commit
                }
                try db.execute(sql: "VACUUM")
            }
            let bytes = StoreBenchmark.fileSize(path)
            variants.append(
                Variant(name: name, pageSize: pageSize, bytes: bytes, bytesPerValue: Double(bytes) / Double(values)))
        }
        try measure(
            "chunk per series, WITHOUT ROWID (the layout before v5)", pageSize: 65536, table: .withoutRowID,
            joinedGroups: false)
        for pageSize in [512, 1024, 2048, 4096, 65536] {
            try measure(
                "one BLOB per row-group chunk, rowid + UNIQUE index (the store's)", pageSize: pageSize, table: .rowid,
                joinedGroups: true)
        }
        for pageSize in [1024, 4096] {
            try measure(
                "one BLOB per row-group chunk, WITHOUT ROWID", pageSize: pageSize, table: .withoutRowID,
                joinedGroups: true)
        }
        return LayoutProbe(variants: variants)
    }
}
