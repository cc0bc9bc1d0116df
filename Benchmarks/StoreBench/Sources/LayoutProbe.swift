import Foundation
import GRDB

/// The same chunk BLOBs laid out other ways in SQLite, to show what the file overhead is made of.
///
/// SQLite keeps at most ~1/4 of a page of a `WITHOUT ROWID` row on its b-tree page (an index b-tree:
/// max local payload 1,002 bytes on 4 KiB pages) and spills the rest to overflow pages whose last page is
/// left partly empty; a rowid table keeps up to a whole page locally and sizes the local part so that
/// overflow pages are full. The store's chunks are 0.5-14 KB, so this decides a good part of the file size.
struct LayoutProbe: Sendable, Codable {
    struct Variant: Sendable, Codable {
        var name: String
        var pageSize: Int
        var bytes: Int
        var bytesPerValue: Double
    }

    var variants: [Variant]

    enum Table: String, Codable {
        /// The store's own schema: `WITHOUT ROWID`, primary key (key, start).
        case withoutRowID
        /// A rowid table with a UNIQUE (key, start) index.
        case rowid
    }

    static func run(storePath: String, work: String, values: Int) throws -> LayoutProbe {
        let source = try DatabaseQueue(path: storePath)
        // Every chunk, and every row-group chunk joined into one BLOB with a StoreRowGroup-like directory.
        let (timeChunks, valueChunks, joined) = try source.read { db in
            let times = try Row.fetchAll(
                db, sql: "SELECT rowGroup, start, end, count, data FROM timeChunk ORDER BY rowGroup, start")
            let values = try Row.fetchAll(db, sql: "SELECT series, start, data FROM valueChunk ORDER BY series, start")
            var joined: [(group: Int64, start: Int64, data: Data)] = []
            for t in times {
                var blob = Data(count: 8 + 4 * 1)
                blob.append(t["data"] as Data)
                let columns = try Data.fetchAll(
                    db,
                    sql: """
                        SELECT v.data FROM valueChunk v JOIN series s ON s.id = v.series
                        WHERE s.rowGroup = ? AND v.start = ? ORDER BY s.position
                        """, arguments: [t["rowGroup"], t["start"]])
                blob.append(Data(count: 4 * columns.count))
                for c in columns { blob.append(c) }
                joined.append((t["rowGroup"], t["start"], blob))
            }
            return (times, values, joined)
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
                            sql:
                                "CREATE TABLE chunk (rowGroup INTEGER NOT NULL, start INTEGER NOT NULL, data BLOB NOT NULL, \(key("rowGroup, start")))\(suffix)"
                        )
                        for j in joined {
                            try db.execute(
                                sql: "INSERT INTO chunk VALUES (?, ?, ?)", arguments: [j.group, j.start, j.data])
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
                            try db.execute(
                                sql: "INSERT INTO timeChunk VALUES (?, ?, ?, ?, ?)",
                                arguments: [t["rowGroup"], t["start"], t["end"], t["count"], t["data"]])
                        }
                        for v in valueChunks {
                            try db.execute(
                                sql: "INSERT INTO valueChunk VALUES (?, ?, ?)",
                                arguments: [v["series"], v["start"], v["data"]])
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
        for pageSize in [4096, 16384, 65536] {
            try measure(
                "chunk per series, WITHOUT ROWID (the store's layout)", pageSize: pageSize, table: .withoutRowID,
                joinedGroups: false)
        }
        for pageSize in [4096, 16384] {
            try measure(
                "chunk per series, rowid table + UNIQUE index", pageSize: pageSize, table: .rowid, joinedGroups: false)
        }
        for pageSize in [4096, 16384] {
            try measure(
                "one BLOB per row-group chunk, WITHOUT ROWID", pageSize: pageSize, table: .withoutRowID,
                joinedGroups: true)
            try measure(
                "one BLOB per row-group chunk, rowid + UNIQUE index", pageSize: pageSize, table: .rowid,
                joinedGroups: true)
        }
        return LayoutProbe(variants: variants)
    }
}
