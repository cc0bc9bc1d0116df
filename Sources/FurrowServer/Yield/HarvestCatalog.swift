import Foundation
import FurrowAgronomy
import FurrowStore
import GRDB

/// Harvests per field in the store's database (table `harvest`): the records of one upload live in one row as
/// packed columns, so an import is one INSERT — all or nothing — and a summary reads one blob.
///
/// Why not store series: a harvest is a closed set of ~10⁴–10⁵ records that is always read whole, re-cleaned
/// with other settings and deleted as a unit; it has no live readers and no time-range queries.
public struct HarvestCatalog: Sendable {
    public let database: any DatabaseWriter

    public init(database: any DatabaseWriter) {
        self.database = database
    }

    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("harvests-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE harvest (
                        id INTEGER PRIMARY KEY,
                        project TEXT NOT NULL REFERENCES project(slug) ON DELETE CASCADE,
                        field INTEGER NOT NULL REFERENCES field(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        crop TEXT,
                        recordCount INTEGER NOT NULL,
                        columns TEXT NOT NULL,
                        createdAt TEXT NOT NULL,
                        records BLOB NOT NULL
                    );
                    CREATE INDEX harvestField ON harvest(project, field);
                    """)
        }
    }

    /// Values stored per record (time, lon, lat, flow, moisture, speed, swath, interval, pass, header).
    static let stride = 10

    public func harvests(project: String, field: Int64) throws -> [Harvest] {
        try database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, project, field, name, crop, recordCount, columns, createdAt FROM harvest WHERE project = ? AND field = ? ORDER BY id",
                arguments: [project, field]
            ).map(Self.harvest)
        }
    }

    /// The harvest and its records; nil if the field of `project` has no such harvest.
    public func load(id: Int64, field: Int64, project: String) throws -> (Harvest, [YieldRecord])? {
        try database.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM harvest WHERE id = ? AND field = ? AND project = ?", arguments: [id, field, project])
            else { return nil }
            let blob: Data = row["records"]
            let values = PackedDoubles.unpack(blob)
            var records: [YieldRecord] = []
            records.reserveCapacity(values.count / Self.stride)
            var i = 0
            while i + Self.stride <= values.count {
                let pass = Int(values[i + 8])
                let header = values[i + 9] != 0
                records.append(YieldRecord(
                    time: values[i], longitude: values[i + 1], latitude: values[i + 2], massFlow: values[i + 3],
                    moisture: values[i + 4], speed: values[i + 5], swath: values[i + 6], interval: values[i + 7],
                    pass: pass, headerDown: header))
                i += Self.stride
            }
            return (Self.harvest(row), records)
        }
    }

    /// The newest harvest of a field, if any.
    public func latest(project: String, field: Int64) throws -> Int64? {
        try database.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM harvest WHERE project = ? AND field = ?", arguments: [project, field])
        }
    }

    /// Stores an import in one transaction.
    public func save(_ upload: YieldCSVImport, name: String, crop: String?, field: Field) throws -> Harvest {
        var values: [Double] = []
        values.reserveCapacity(upload.records.count * Self.stride)
        for r in upload.records {
            let pass = Double(r.pass)
            let header: Double = r.headerDown ? 1 : 0
            values.append(contentsOf: [r.time, r.longitude, r.latitude, r.massFlow, r.moisture, r.speed, r.swath, r.interval, pass, header])
        }
        let blob = PackedDoubles.pack(values)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let columns = String(decoding: try encoder.encode(upload.columns), as: UTF8.self)
        let now = StoreTime.format(Int64(Date().timeIntervalSince1970 * 1e6))
        return try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO harvest (project, field, name, crop, recordCount, columns, createdAt, records)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [field.project, field.id, name, crop, upload.records.count, columns, now, blob])
            return Harvest(
                id: db.lastInsertedRowID, project: field.project, field: field.id, name: name, crop: crop,
                records: upload.records.count, columns: upload.columns, createdAt: now)
        }
    }

    static func harvest(_ row: Row) -> Harvest {
        Harvest(
            id: row["id"], project: row["project"], field: row["field"], name: row["name"], crop: row["crop"],
            records: row["recordCount"],
            columns: (try? JSONDecoder().decode([String: String].self, from: Data((row["columns"] as String).utf8))) ?? [:],
            createdAt: row["createdAt"])
    }
}
