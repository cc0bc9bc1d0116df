import GRDB

/// Opens the store's SQLite file (WAL) and brings its schema up to date.
///
/// Durability contract: every flush is one transaction in WAL mode with `synchronous = NORMAL`. A process
/// killed at any moment (kill -9, crash) loses only values not yet flushed — at most one flush interval —
/// and the database always opens clean, because SQLite's WAL commit is atomic. (A power cut may also lose
/// the last transactions before the OS wrote the WAL to disk; `synchronous = FULL` would close that gap at
/// the cost of an fsync per flush.)
public enum StoreDatabase {
    /// Opens (creating if needed) the database at `path` and runs the migrations.
    ///
    /// `migrations` registers other modules' tables (projects and tokens) after the store's own, so one file
    /// holds everything a project owns and one transaction can span it.
    public static func open(
        path: String, migrations: (inout DatabaseMigrator) -> Void = { _ in }
    ) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // Readers for the API's concurrent queries, streaming exports and replays beside ingest.
        configuration.maximumReaderCount = 16
        configuration.prepareDatabase { db in
            // Takes effect only when the file is created; `rebuild(path:)` gives an older file this size.
            try db.execute(sql: "PRAGMA page_size = \(pageSize)")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Reads map the file instead of copying pages into each connection's cache: a chunk's BLOB is a
            // chain of overflow pages (with 64 KiB pages and a chunk per series, a cached bucket query spent 14 %
            // in pread).
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        var all = migrator
        migrations(&all)
        try all.migrate(pool)
        return pool
    }

    /// The page size of a new store file (bytes).
    ///
    /// Small pages, because the chunks live in overflow pages: a row-group chunk (`groupChunk`, 0.6-40 KB on
    /// StoreBench) keeps 100-990 bytes on its table page and the rest in overflow pages that SQLite fills
    /// completely (4 bytes of each 1,024 are a link), so a row wastes well under a page, and every other table
    /// and index of the file costs a page or a few. Measured on StoreBench's file (README, "The store"): 64 KiB
    /// pages with a chunk per series left a gap of up to a chunk at every page end (1.831 bytes/value for
    /// 1.569 of chunks); row-group chunks at 512 / 1,024 / 2,048 / 4,096 bytes per page: 1.601 / 1.597 /
    /// 1.604 / ~1.66 (overflow links, or fewer local parts per page, cost more on either side of 1,024).
    public static let pageSize = 1024

    /// Every schema change, in order; never edit a shipped migration, add one.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("timeSeries-v1") { db in
            // A row group: channels that share one time column.
            try db.execute(
                sql: """
                    CREATE TABLE rowGroup (
                        id INTEGER PRIMARY KEY,
                        project TEXT NOT NULL,
                        source TEXT NOT NULL,
                        name TEXT NOT NULL,
                        tags TEXT NOT NULL,
                        UNIQUE (project, source, name, tags)
                    );
                    CREATE TABLE series (
                        id INTEGER PRIMARY KEY,
                        rowGroup INTEGER NOT NULL REFERENCES rowGroup(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        channel TEXT NOT NULL,
                        valueType INTEGER NOT NULL,
                        unit TEXT,
                        decimalExponent INTEGER,
                        UNIQUE (rowGroup, channel),
                        UNIQUE (rowGroup, position)
                    );
                    -- The time column of each chunk of a row group: rows sorted, timestamps unique.
                    CREATE TABLE timeChunk (
                        rowGroup INTEGER NOT NULL,
                        start INTEGER NOT NULL,
                        end INTEGER NOT NULL,
                        count INTEGER NOT NULL,
                        data BLOB NOT NULL,
                        PRIMARY KEY (rowGroup, start)
                    ) WITHOUT ROWID;
                    -- One value chunk per series and time chunk, same start.
                    CREATE TABLE valueChunk (
                        series INTEGER NOT NULL,
                        start INTEGER NOT NULL,
                        data BLOB NOT NULL,
                        PRIMARY KEY (series, start)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("timeSeries-v2-rollups") { db in
            // Aggregates per series over fixed buckets (1 min, 1 h), kept up to date by every flush, so long
            // ranges are answered without reading chunks. NaNs are counted, not summed (as in StoreBucket).
            try db.execute(
                sql: """
                    CREATE TABLE rollup (
                        series INTEGER NOT NULL,
                        width INTEGER NOT NULL,
                        start INTEGER NOT NULL,
                        count INTEGER NOT NULL,
                        nanCount INTEGER NOT NULL,
                        sum REAL,
                        minimum REAL,
                        maximum REAL,
                        first REAL,
                        last REAL,
                        PRIMARY KEY (series, width, start)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("timeSeries-v3-settings") { db in
            // Properties of the database itself, fixed when it is created (e.g. which rollups it keeps).
            try db.execute(sql: "CREATE TABLE setting (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
        }
        migrator.registerMigration("timeSeries-v4-checkpoints") { db in
            // Progress markers committed with a flush (e.g. how far each link's archived bytes are in chunks).
            try db.execute(sql: "CREATE TABLE checkpoint (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL)")
        }
        // The raw archive keeps its segments in the same file (its own tables, its own migrations).
        RawArchive.registerMigrations(&migrator)
        FlightCatalog.registerMigrations(&migrator)
        SenderDirectory.registerMigrations(&migrator)
        // After the other modules' migrations: files written before it have all of those applied.
        migrator.registerMigration("timeSeries-v5-groupChunks") { db in
            // One row per row-group chunk: the time chunk and every value chunk of the group in one BLOB
            // (`StoreRowGroup`'s serialized layout: a CRC-checked directory, then the chunks), replacing
            // `timeChunk` + one `valueChunk` row per series. A rowid table, so SQLite sizes a row's local part
            // to fill its overflow pages exactly (a `WITHOUT ROWID` row keeps at most ~1/4 page locally and
            // leaves its last overflow page part empty); `data` last, so the key and extent columns are read
            // from the table page without touching the overflow chain.
            try db.execute(
                sql: """
                    CREATE TABLE groupChunk (
                        id INTEGER PRIMARY KEY,
                        rowGroup INTEGER NOT NULL,
                        start INTEGER NOT NULL,
                        end INTEGER NOT NULL,
                        count INTEGER NOT NULL,
                        data BLOB NOT NULL
                    );
                    CREATE UNIQUE INDEX groupChunkStart ON groupChunk (rowGroup, start);
                    """)
            try GroupChunkMigration.moveSeriesChunks(db)
            try db.execute(sql: "DROP TABLE valueChunk; DROP TABLE timeChunk")
        }
        migrator.registerMigration("timeSeries-v6-chunkExtents") { db in
            // Every chunk's extent in an index: a bucket query lists a day's ~1,000 chunks of a group from a few
            // index pages instead of one table page per chunk (with 1 KiB pages each row has its own).
            try db.execute(sql: "CREATE INDEX groupChunkExtent ON groupChunk (rowGroup, start, end, count)")
        }
        return migrator
    }
}
