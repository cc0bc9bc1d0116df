import Foundation
import FurrowAgronomy
import GRDB

/// Scouting detections per field and flight in the store's database (table `detection`), written in one
/// transaction per upload.
public struct DetectionCatalog: Sendable {
    public let database: any DatabaseWriter

    public init(database: any DatabaseWriter) {
        self.database = database
    }

    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("detections-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE detection (
                        id INTEGER PRIMARY KEY,
                        project TEXT NOT NULL REFERENCES project(slug) ON DELETE CASCADE,
                        field INTEGER NOT NULL REFERENCES field(id) ON DELETE CASCADE,
                        flight TEXT NOT NULL,
                        longitude REAL NOT NULL,
                        latitude REAL NOT NULL,
                        class TEXT NOT NULL,
                        confidence REAL NOT NULL
                    );
                    CREATE INDEX detectionFieldFlight ON detection(project, field, flight);
                    """)
        }
    }

    /// Stores the detections of an upload (all or none).
    public func save(_ rows: [DetectionUpload.Row], field: Field) throws {
        try database.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT INTO detection (project, field, flight, longitude, latitude, class, confidence) VALUES (?, ?, ?, ?, ?, ?, ?)")
            for r in rows {
                let d = r.detection
                try statement.execute(arguments: [
                    field.project, field.id, d.flightID ?? "", d.longitude, d.latitude, d.className, d.confidence,
                ])
            }
        }
    }

    /// Detections of a field, of one flight or all.
    public func detections(project: String, field: Int64, flight: String?) throws -> [ScoutingHotspots.Detection] {
        try database.read { db in
            var sql = "SELECT flight, longitude, latitude, class, confidence FROM detection WHERE project = ? AND field = ?"
            var arguments: StatementArguments = [project, field]
            if let flight {
                sql += " AND flight = ?"
                arguments += [flight]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY id", arguments: arguments).map { row in
                ScoutingHotspots.Detection(
                    longitude: row["longitude"], latitude: row["latitude"], className: row["class"],
                    confidence: row["confidence"], flightID: row["flight"])
            }
        }
    }

    /// Flights with detections on a field and how many each has.
    public func flights(project: String, field: Int64) throws -> [(flight: String, detections: Int)] {
        try database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT flight, COUNT(*) AS n FROM detection WHERE project = ? AND field = ? GROUP BY flight ORDER BY flight",
                arguments: [project, field]
            ).map { ($0["flight"], $0["n"]) }
        }
    }
}
