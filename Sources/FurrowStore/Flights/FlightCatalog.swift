import Foundation
import GRDB

/// One flight: an armed period seen live by the daemon, or a flight log a researcher uploaded.
public struct FlightRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var project: String
    /// The store source the flight's series belong to.
    public var source: String
    /// `live` (armed/disarmed seen by the daemon) or `upload`.
    public var origin: String
    /// Arm time, µs since the Unix epoch.
    public var start: Int64
    /// Disarm time; nil while the vehicle is still armed (or the daemon stopped before it disarmed).
    public var end: Int64?
    /// MAV_TYPE and MAV_AUTOPILOT from the vehicle's HEARTBEAT, when known.
    public var vehicleType: Int?
    public var autopilot: Int?
    /// The upload the flight was imported from (nil for a live flight).
    public var upload: Int64?
    /// The flight log's summary as JSON (distance, altitudes, battery, modes, messages), nil for a live flight.
    public var summary: String?

    public var duration: Int64? { end.map { $0 - start } }
}

/// Where flights are kept: a table in the store's database, so every flight belongs to one project and
/// links to its source's series by time.
public struct FlightCatalog: Sendable {
    public let database: any DatabaseWriter

    /// A catalog on a database opened by `StoreDatabase.open` (its migrations create the table).
    public init(database: any DatabaseWriter) {
        self.database = database
    }

    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("flights-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE flight (
                        id INTEGER PRIMARY KEY,
                        project TEXT NOT NULL,
                        source TEXT NOT NULL,
                        origin TEXT NOT NULL,
                        start INTEGER NOT NULL,
                        end INTEGER,
                        vehicleType INTEGER,
                        autopilot INTEGER,
                        UNIQUE (project, source, start)
                    );
                    """)
        }
        migrator.registerMigration("flights-v2-uploads") { db in
            // A flight imported from a log: the upload it came from, its summary (JSON) and its track (a row group
            // of time, latitude, longitude, altitudes encoded with the store's codecs).
            try db.execute(
                sql: """
                    ALTER TABLE flight ADD COLUMN upload INTEGER;
                    ALTER TABLE flight ADD COLUMN summary TEXT;
                    ALTER TABLE flight ADD COLUMN track BLOB;
                    """)
        }
    }

    /// Inserts a flight imported from a log inside the caller's transaction (the importer publishes the
    /// flight's series in the same one); returns its id.
    public static func insertImported(
        _ db: Database, project: String, source: String, start: Int64, end: Int64?, vehicleType: Int?,
        autopilot: Int?, upload: Int64, summary: String, track: [UInt8]?
    ) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO flight (project, source, origin, start, end, vehicleType, autopilot, upload, summary, track)
                VALUES (?, ?, 'upload', ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [project, source, start, end, vehicleType, autopilot, upload, summary, track.map { Data($0) }])
        return db.lastInsertedRowID
    }

    /// Stores the summary (JSON) and track of flight `id` (a live flight summarised after it ended).
    public func setSummary(id: Int64, summary: String, track: [UInt8]?) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE flight SET summary = ?, track = ? WHERE id = ?", arguments: [summary, track.map { Data($0) }, id])
        }
    }

    /// Records a flight that started at `start`; returns its id. The same (project, source, start) twice
    /// (e.g. when the daemon re-reads its archive after a crash) returns the existing flight.
    @discardableResult
    public func begin(
        project: String, source: String, origin: String = "live", start: Int64, vehicleType: Int? = nil,
        autopilot: Int? = nil
    ) throws -> Int64 {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO flight (project, source, origin, start, vehicleType, autopilot) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (project, source, start) DO NOTHING
                    """,
                arguments: [project, source, origin, start, vehicleType, autopilot])
            return try Int64.fetchOne(
                db, sql: "SELECT id FROM flight WHERE project = ? AND source = ? AND start = ?",
                arguments: [project, source, start])!
        }
    }

    /// Closes a flight at `end`.
    public func end(id: Int64, at end: Int64) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE flight SET end = ? WHERE id = ?", arguments: [end, id])
        }
    }

    /// Every column but the track (which only the export reads).
    static let columns = "id, project, source, origin, start, end, vehicleType, autopilot, upload, summary"

    static func record(_ row: Row) -> FlightRecord {
        FlightRecord(
            id: row["id"], project: row["project"], source: row["source"], origin: row["origin"],
            start: row["start"], end: row["end"], vehicleType: row["vehicleType"], autopilot: row["autopilot"],
            upload: row["upload"], summary: row["summary"])
    }

    /// The flight of `source` still open (armed, no end), if any.
    public func openFlight(project: String, source: String) throws -> FlightRecord? {
        try database.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT \(Self.columns) FROM flight WHERE project = ? AND source = ? AND end IS NULL ORDER BY start DESC LIMIT 1",
                arguments: [project, source]
            ).map(Self.record)
        }
    }

    // MARK: - Reads (they wait for a reader connection without blocking a thread)

    /// A project's flights, newest first, optionally of one source.
    public func flights(project: String, source: String? = nil) async throws -> [FlightRecord] {
        let columns = Self.columns
        return try await database.read { db in
            var sql = "SELECT \(columns) FROM flight WHERE project = ?"
            var arguments: StatementArguments = [project]
            if let source {
                sql += " AND source = ?"
                arguments += [source]
            }
            sql += " ORDER BY start DESC"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.record)
        }
    }

    /// Flight `id` if it belongs to `project`.
    public func flight(id: Int64, project: String) async throws -> FlightRecord? {
        let columns = Self.columns
        return try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT \(columns) FROM flight WHERE id = ? AND project = ?", arguments: [id, project])
                .map(Self.record)
        }
    }

    /// The stored track of flight `id` of `project`.
    public func track(id: Int64, project: String) async throws -> [UInt8]? {
        try await database.read { db in
            try Data.fetchOne(db, sql: "SELECT track FROM flight WHERE id = ? AND project = ?", arguments: [id, project])
                .map { [UInt8]($0) }
        }
    }
}
