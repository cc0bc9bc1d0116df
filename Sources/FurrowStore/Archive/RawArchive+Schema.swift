import Foundation
import GRDB

// MARK: - Schema

extension RawArchive {
    /// Registers the raw archive's tables with the application's migrator (identifiers `rawArchive-…`).
    ///
    /// The archive does not own the database file: the store opens one `DatabasePool` and runs every
    /// module's migrations with one migrator, so call this while building it.
    ///
    /// ```swift
    /// var migrator = DatabaseMigrator()
    /// RawArchive.registerMigrations(&migrator)
    /// try migrator.migrate(pool)
    /// ```
    public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("rawArchive-v1") { db in
            // One row per sealed segment. WITHOUT ROWID: rows live in key order, so a source's time range
            // is one contiguous range of the b-tree. STRICT: every column has the type the reader
            // expects. The BLOB is last so scans of the small columns never touch its overflow pages.
            // `ordinal` keeps two segments of a source that start at the same microsecond (a clock
            // stepped back, a re-uploaded file) apart instead of overwriting one with the other.
            try db.execute(
                sql: """
                    CREATE TABLE rawSegment (
                        project TEXT NOT NULL,
                        source TEXT NOT NULL,
                        startTime INTEGER NOT NULL,
                        ordinal INTEGER NOT NULL,
                        endTime INTEGER NOT NULL,
                        recordCount INTEGER NOT NULL,
                        byteCount INTEGER NOT NULL,
                        rawSize INTEGER NOT NULL,
                        storedSize INTEGER NOT NULL,
                        crc32 INTEGER NOT NULL,
                        codec INTEGER NOT NULL,
                        data BLOB NOT NULL,
                        PRIMARY KEY (project, source, startTime, ordinal)
                    ) STRICT, WITHOUT ROWID
                    """)
        }
    }
}

// MARK: - Statements

/// The SQL the archive runs, in one place.
enum RawArchiveSQL {
    static let insert = """
        INSERT INTO rawSegment
            (project, source, startTime, ordinal, endTime, recordCount, byteCount, rawSize, storedSize, crc32,
             codec, data)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT DO NOTHING
        """

    static let nextOrdinal = """
        SELECT COALESCE(MAX(ordinal), -1) + 1 FROM rawSegment WHERE project = ? AND source = ? AND startTime = ?
        """

    /// The next segment after a key (startTime, ordinal) that overlaps a time range: one seek in the
    /// primary key. The caller starts from (from − `maximumSegmentSpan`, -1): a segment spans less than
    /// that, so no earlier one can reach `from`.
    /// Arguments: project, source, after (startTime, ordinal), to, from.
    static let nextSegment = """
        SELECT \(RawArchiveSegment.columns), data FROM rawSegment
        WHERE project = ? AND source = ? AND (startTime, ordinal) > (?, ?)
            AND startTime < ? AND endTime >= ?
        ORDER BY startTime, ordinal LIMIT 1
        """

    /// Arguments: project, source, lowest start, to, from.
    static let segments = """
        SELECT \(RawArchiveSegment.columns) FROM rawSegment
        WHERE project = ? AND source = ? AND startTime >= ? AND startTime < ? AND endTime >= ?
        ORDER BY startTime, ordinal
        """

    static let sources = """
        SELECT source, MIN(startTime), MAX(endTime), COUNT(*), SUM(recordCount), SUM(byteCount), SUM(storedSize)
        FROM rawSegment WHERE project = ? GROUP BY source ORDER BY source
        """

    static let expiredTotals = """
        SELECT COUNT(*), COALESCE(SUM(recordCount), 0), COALESCE(SUM(byteCount), 0), COALESCE(SUM(storedSize), 0)
        FROM rawSegment WHERE project = ? AND endTime < ?
        """

    static let deleteExpired = "DELETE FROM rawSegment WHERE project = ? AND endTime < ?"
}

extension RawSealedSegment {
    /// Inserts the row, at ordinal 0 unless another segment of the source already starts at `startTime`.
    func insert(_ db: Database) throws {
        let data = Data(self.data)
        var arguments: StatementArguments = [
            project, source, startTime, 0, endTime, recordCount, byteCount, rawSize, data.count,
            Int64(checksum), Int64(codec.rawValue), data,
        ]
        try db.cachedStatement(sql: RawArchiveSQL.insert).execute(arguments: arguments)
        if db.changesCount == 0 {
            let ordinal =
                try Int64.fetchOne(
                    db.cachedStatement(sql: RawArchiveSQL.nextOrdinal), arguments: [project, source, startTime]) ?? 0
            arguments = [
                project, source, startTime, ordinal, endTime, recordCount, byteCount, rawSize, data.count,
                Int64(checksum), Int64(codec.rawValue), data,
            ]
            try db.cachedStatement(sql: RawArchiveSQL.insert).execute(arguments: arguments)
        }
    }
}
