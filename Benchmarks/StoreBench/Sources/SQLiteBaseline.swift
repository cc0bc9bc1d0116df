import Foundation
import FurrowStore
import GRDB
import GRDBSQLite

/// The plain peer: one row per value in a `WITHOUT ROWID` table keyed `(series, ts)`, on the same system
/// libsqlite3, WAL and `synchronous = NORMAL` like the store, written in the same batches and order, in
/// transactions of ~50,000 values. Inserts and queries go through the SQLite C API with prepared
/// statements (no per-row Swift wrappers), so the figures are SQLite's, not a binding's.
enum SQLiteBaseline {
    static let schema = """
        CREATE TABLE v(series INTEGER NOT NULL, ts INTEGER NOT NULL, value, PRIMARY KEY (series, ts)) WITHOUT ROWID
        """
    /// Values per transaction.
    static let transactionValues = 50_000

    static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    struct SQLiteError: Error, CustomStringConvertible {
        let description: String
    }

    static func check(_ code: Int32, _ connection: OpaquePointer?, _ what: String) throws {
        guard code == SQLITE_OK || code == SQLITE_DONE || code == SQLITE_ROW else {
            throw SQLiteError(description: "\(what): \(String(cString: sqlite3_errmsg(connection)))")
        }
    }

    /// Inserts every value of `schedule`; returns the time taken.
    static func ingest(_ schedule: IngestSchedule, path: String) async throws -> Timing {
        let queue = try open(path)
        try await queue.write { db in try db.execute(sql: schema) }
        let (_, timing) = try await Timing.measure {
            try queue.inDatabase { db in
                let connection = db.sqliteConnection
                var statement: OpaquePointer? = nil
                try check(
                    sqlite3_prepare_v2(
                        connection, "INSERT INTO v (series, ts, value) VALUES (?, ?, ?)", -1, &statement, nil),
                    connection, "prepare")
                defer { sqlite3_finalize(statement) }
                try check(sqlite3_exec(connection, "BEGIN", nil, nil, nil), connection, "BEGIN")
                var pending = 0
                for batch in schedule.batches {
                    let times = batch.timestamps
                    for (c, column) in batch.columns.enumerated() {
                        let series = batch.firstSeries + Int64(c)
                        @inline(__always) func insert(_ i: Int, _ bind: () -> Void) throws {
                            sqlite3_bind_int64(statement, 1, series)
                            sqlite3_bind_int64(statement, 2, times[i])
                            bind()
                            let code = sqlite3_step(statement)
                            sqlite3_reset(statement)
                            guard code == SQLITE_DONE else {
                                throw SQLiteError(description: "insert: \(String(cString: sqlite3_errmsg(connection)))")
                            }
                        }
                        switch column {
                        case .float32(let v):
                            for i in v.indices { try insert(i) { sqlite3_bind_double(statement, 3, Double(v[i])) } }
                        case .float64(let v):
                            for i in v.indices { try insert(i) { sqlite3_bind_double(statement, 3, v[i]) } }
                        case .int64(let v), .state(let v), .timestamp(let v):
                            for i in v.indices { try insert(i) { sqlite3_bind_int64(statement, 3, v[i]) } }
                        case .bool(let v):
                            for i in v.indices { try insert(i) { sqlite3_bind_int64(statement, 3, v[i] ? 1 : 0) } }
                        case .string: throw SQLiteError(description: "strings are not in this dataset")
                        }
                    }
                    pending += batch.values
                    if pending >= transactionValues {
                        try check(sqlite3_exec(connection, "COMMIT; BEGIN", nil, nil, nil), connection, "COMMIT")
                        pending = 0
                    }
                }
                try check(sqlite3_exec(connection, "COMMIT", nil, nil, nil), connection, "COMMIT")
            }
        }
        return timing
    }

    /// Compares every stored row with the dataset (same timestamps, same value bits); returns the rows.
    static func verifyAll(_ queue: DatabaseQueue, _ dataset: Dataset) throws -> Int {
        let ids = IngestSchedule.firstSeries(dataset)
        return try queue.inDatabase { db in
            let connection = db.sqliteConnection
            var statement: OpaquePointer? = nil
            try check(
                sqlite3_prepare_v2(
                    connection, "SELECT series, ts, value FROM v ORDER BY series, ts", -1, &statement, nil),
                connection, "prepare")
            defer { sqlite3_finalize(statement) }
            var rows = 0
            for (g, group) in dataset.groups.enumerated() {
                for (c, column) in group.columns.enumerated() {
                    let series = ids[g] + Int64(c)
                    let integer = column.isInteger
                    let values = column.doubles
                    for i in 0..<group.rows {
                        guard sqlite3_step(statement) == SQLITE_ROW, sqlite3_column_int64(statement, 0) == series,
                            sqlite3_column_int64(statement, 1) == group.timestamps[i]
                        else {
                            throw BenchFailure("SQLite baseline: series \(series) row \(i) is missing or out of place")
                        }
                        let same =
                            integer
                            ? sqlite3_column_type(statement, 2) == SQLITE_INTEGER
                                && Double(sqlite3_column_int64(statement, 2)) == values[i]
                            : sqlite3_column_type(statement, 2) == SQLITE_FLOAT
                                && sqlite3_column_double(statement, 2).bitPattern == values[i].bitPattern
                        guard same else { throw BenchFailure("SQLite baseline: series \(series) row \(i) differs") }
                        rows += 1
                    }
                }
            }
            guard sqlite3_step(statement) == SQLITE_DONE else { throw BenchFailure("SQLite baseline: extra rows") }
            return rows
        }
    }

    /// SQLite's answer to one query.
    static func answer(_ target: Queries.Target, queue: DatabaseQueue) throws -> QueryAnswer {
        try queue.inDatabase { db in
            let connection = db.sqliteConnection
            var statement: OpaquePointer? = nil
            defer { sqlite3_finalize(statement) }
            if let width = target.spec.width {
                let list = target.ids.map(String.init).joined(separator: ",")
                try check(
                    sqlite3_prepare_v2(
                        connection,
                        """
                        SELECT series, ts / \(width) AS b, count(*), avg(value), min(value), max(value) FROM v
                        WHERE series IN (\(list)) AND ts >= ? AND ts < ? GROUP BY series, b ORDER BY series, b
                        """, -1, &statement, nil), connection, "prepare")
                sqlite3_bind_int64(statement, 1, target.range.lowerBound)
                sqlite3_bind_int64(statement, 2, target.range.upperBound)
                let index = Dictionary(uniqueKeysWithValues: target.ids.enumerated().map { ($1, $0) })
                var rows: [BucketRow] = []
                var code = sqlite3_step(statement)
                while code == SQLITE_ROW {
                    rows.append(
                        BucketRow(
                            series: index[sqlite3_column_int64(statement, 0)] ?? -1,
                            start: sqlite3_column_int64(statement, 1) * width,
                            count: Int(sqlite3_column_int64(statement, 2)),
                            mean: sqlite3_column_double(statement, 3), minimum: sqlite3_column_double(statement, 4),
                            maximum: sqlite3_column_double(statement, 5)))
                    code = sqlite3_step(statement)
                }
                try check(code, connection, "bucket query")
                return .buckets(rows)
            }
            var raw = RawAnswer()
            try check(
                sqlite3_prepare_v2(
                    connection, "SELECT ts, value FROM v WHERE series = ? AND ts >= ? AND ts < ? ORDER BY ts", -1,
                    &statement, nil), connection, "prepare")
            for id in target.ids {
                sqlite3_reset(statement)
                sqlite3_bind_int64(statement, 1, id)
                sqlite3_bind_int64(statement, 2, target.range.lowerBound)
                sqlite3_bind_int64(statement, 3, target.range.upperBound)
                var code = sqlite3_step(statement)
                while code == SQLITE_ROW {
                    raw.add(sqlite3_column_int64(statement, 0), sqlite3_column_double(statement, 1))
                    code = sqlite3_step(statement)
                }
                try check(code, connection, "raw query")
            }
            return .raw(raw)
        }
    }

    static var version: String { String(cString: sqlite3_libversion()) }
}
