import Foundation
import FurrowAgronomy
import FurrowStore
import GRDB

/// A multispectral survey of a field: when it was flown and which indices its samples carry.
public struct VegetationSurvey: Sendable, Codable, Hashable {
    public var id: Int64
    public var field: Int64
    public var name: String
    /// The flight date (YYYY-MM-DD) the growth stage is read from.
    public var date: String?
    public var samples: Int
    public var indices: [String]
    public var createdAt: String
}

/// Surveys per field (table `vegetationSurvey`): the samples of one upload in one row of packed values, like a
/// harvest, so an import is one INSERT and a yield summary reads one blob.
public struct VegetationSurveyCatalog: Sendable {
    public let database: any DatabaseWriter

    public init(database: any DatabaseWriter) {
        self.database = database
    }

    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("vegetation-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE vegetationSurvey (
                        id INTEGER PRIMARY KEY,
                        project TEXT NOT NULL REFERENCES project(slug) ON DELETE CASCADE,
                        field INTEGER NOT NULL REFERENCES field(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        date TEXT,
                        sampleCount INTEGER NOT NULL,
                        indices TEXT NOT NULL,
                        createdAt TEXT NOT NULL,
                        samples BLOB NOT NULL
                    );
                    CREATE INDEX vegetationSurveyField ON vegetationSurvey(project, field);
                    """)
        }
    }

    /// Values per sample: lon, lat, then one per `VegetationIndex.allCases` (NaN when absent).
    static let stride = 2 + VegetationIndex.allCases.count

    public func surveys(project: String, field: Int64) throws -> [VegetationSurvey] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT id, field, name, date, sampleCount, indices, createdAt FROM vegetationSurvey WHERE project = ? AND field = ? ORDER BY id",
                arguments: [project, field]
            ).map(Self.survey)
        }
    }

    /// Stores an import in one transaction.
    public func save(_ upload: VegetationCSVImport, name: String, date: String?, field: Field) throws -> VegetationSurvey {
        var values: [Double] = []
        values.reserveCapacity(upload.samples.count * Self.stride)
        for s in upload.samples {
            values.append(s.longitude)
            values.append(s.latitude)
            for index in VegetationIndex.allCases { values.append(s.values[index] ?? .nan) }
        }
        let blob = PackedDoubles.pack(values)
        let indices = upload.indices.map(\.rawValue)
        let now = StoreTime.format(Int64(Date().timeIntervalSince1970 * 1e6))
        return try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO vegetationSurvey (project, field, name, date, sampleCount, indices, createdAt, samples)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [field.project, field.id, name, date, upload.samples.count, indices.joined(separator: ","), now, blob])
            return VegetationSurvey(
                id: db.lastInsertedRowID, field: field.id, name: name, date: date, samples: upload.samples.count,
                indices: indices, createdAt: now)
        }
    }

    /// The survey and its samples; nil if the field of `project` has no such survey.
    public func load(id: Int64, field: Int64, project: String) throws -> (VegetationSurvey, [VegetationGrid.Sample])? {
        try database.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM vegetationSurvey WHERE id = ? AND field = ? AND project = ?", arguments: [id, field, project])
            else { return nil }
            let blob: Data = row["samples"]
            let values = PackedDoubles.unpack(blob)
            var samples: [VegetationGrid.Sample] = []
            var i = 0
            while i + Self.stride <= values.count {
                var indexValues: [VegetationIndex: Double] = [:]
                for (k, index) in VegetationIndex.allCases.enumerated() where !values[i + 2 + k].isNaN {
                    indexValues[index] = values[i + 2 + k]
                }
                samples.append(VegetationGrid.Sample(longitude: values[i], latitude: values[i + 1], values: indexValues))
                i += Self.stride
            }
            return (Self.survey(row), samples)
        }
    }

    static func survey(_ row: Row) -> VegetationSurvey {
        VegetationSurvey(
            id: row["id"], field: row["field"], name: row["name"], date: row["date"], samples: row["sampleCount"],
            indices: (row["indices"] as String).split(separator: ",").map(String.init), createdAt: row["createdAt"])
    }
}
