import Foundation
import FurrowStore
import GRDB

/// Traps per field, in the store's database (table `trap`); their counts live in the time-series store.
public struct TrapCatalog: Sendable {
    public let database: any DatabaseWriter

    public init(database: any DatabaseWriter) {
        self.database = database
    }

    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("traps-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE trap (
                        id INTEGER PRIMARY KEY,
                        project TEXT NOT NULL REFERENCES project(slug) ON DELETE CASCADE,
                        field INTEGER NOT NULL REFERENCES field(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        pest TEXT NOT NULL,
                        lure TEXT,
                        longitude REAL,
                        latitude REAL,
                        installedAt TEXT,
                        actionThreshold TEXT,
                        UNIQUE (field, name)
                    );
                    CREATE INDEX trapField ON trap(project, field);
                    """)
        }
    }

    /// Why a trap was refused.
    public enum Problem: Error, Sendable, Equatable {
        case nameTaken(String)
        case invalid(parameter: String, reason: String)
    }

    /// The store row group holding a trap's counts (channel `count`).
    public static func group(project: String, field: Int64, trap: Int64) -> StoreGroupKey {
        StoreGroupKey(project: project, source: "trap-\(trap)", name: "trap", tags: ["field": String(field)])
    }

    /// A trap's checks in `range` (times in µs, counts); none before its first count is stored.
    public static func counts(
        store: TimeSeriesStore, project: String, field: Int64, trap: Int64, in range: Range<Int64>
    ) async throws -> (times: [Int64], counts: [Double]) {
        let key = StoreSeriesKey(group: group(project: project, field: field, trap: trap), channel: "count")
        let answer: (timestamps: [Int64], values: StoreColumn, skipped: [StoreError])
        do {
            answer = try await store.readAll(key, in: range)
        } catch StoreError.unknownSeries {
            return ([], [])
        }
        switch answer.values {
        case .int64(let v): return (answer.timestamps, v.map(Double.init))
        case .float64(let v): return (answer.timestamps, v)
        default: return (answer.timestamps, [])
        }
    }

    public func traps(project: String, field: Int64) throws -> [Trap] {
        try database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM trap WHERE project = ? AND field = ? ORDER BY name", arguments: [project, field]
            ).map(Self.trap)
        }
    }

    public func trap(id: Int64, field: Int64, project: String) throws -> Trap? {
        try database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM trap WHERE id = ? AND field = ? AND project = ?", arguments: [id, field, project]
            ).map(Self.trap)
        }
    }

    /// Validates and stores a new trap of `field` (which must belong to `project`).
    public func create(_ input: TrapInput, field: Field) throws -> Trap {
        let name = input.name.trimmingCharacters(in: .whitespaces)
        guard (1...200).contains(name.count) else {
            throw Problem.invalid(parameter: "name", reason: "a trap name has 1–200 characters")
        }
        let pest = input.pest.trimmingCharacters(in: .whitespaces)
        guard (1...200).contains(pest.count) else {
            throw Problem.invalid(parameter: "pest", reason: "pest has 1–200 characters (a model id such as codling-moth)")
        }
        switch (input.longitude, input.latitude) {
        case (nil, nil): break
        case (let lon?, let lat?):
            guard lon.isFinite, lat.isFinite, (-180...180).contains(lon), (-90...90).contains(lat) else {
                throw Problem.invalid(parameter: "longitude", reason: "(\(lon), \(lat)) is outside lon -180…180, lat -90…90")
            }
            if let boundary = field.boundary, !boundary.contains(longitude: lon, latitude: lat) {
                throw Problem.invalid(
                    parameter: "longitude", reason: "(\(lon), \(lat)) is outside the boundary of field \(field.id)")
            }
        default:
            throw Problem.invalid(parameter: "latitude", reason: "give both longitude and latitude, or neither")
        }
        if let text = input.installedAt, StoreTime.parse(text) == nil {
            throw Problem.invalid(parameter: "installedAt", reason: "\(text) is not an RFC 3339 time with a zone")
        }
        if let t = input.actionThreshold {
            guard !t.source.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw Problem.invalid(parameter: "actionThreshold.source", reason: "an action threshold needs its source")
            }
            guard t.perTrapPerWeek != nil || t.cumulative != nil else {
                throw Problem.invalid(parameter: "actionThreshold", reason: "give perTrapPerWeek or cumulative")
            }
            for (key, value) in [("perTrapPerWeek", t.perTrapPerWeek), ("cumulative", t.cumulative)] {
                if let value, !(value.isFinite && value >= 0) {
                    throw Problem.invalid(parameter: "actionThreshold.\(key)", reason: "\(value) must be a number ≥ 0")
                }
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let threshold = try input.actionThreshold.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        return try database.write { db in
            if try Int64.fetchOne(db, sql: "SELECT id FROM trap WHERE field = ? AND name = ?", arguments: [field.id, name]) != nil {
                throw Problem.nameTaken(name)
            }
            try db.execute(
                sql: """
                    INSERT INTO trap (project, field, name, pest, lure, longitude, latitude, installedAt, actionThreshold)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    field.project, field.id, name, pest, input.lure, input.longitude, input.latitude, input.installedAt,
                    threshold,
                ])
            let id = db.lastInsertedRowID
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM trap WHERE id = ?", arguments: [id]) else {
                throw Problem.invalid(parameter: "name", reason: "the trap was not stored")
            }
            return Self.trap(row)
        }
    }

    static func trap(_ row: Row) -> Trap {
        Trap(
            id: row["id"], project: row["project"], field: row["field"], name: row["name"], pest: row["pest"],
            lure: row["lure"], longitude: row["longitude"], latitude: row["latitude"], installedAt: row["installedAt"],
            actionThreshold: (row["actionThreshold"] as String?).flatMap {
                try? JSONDecoder().decode(TrapActionThreshold.self, from: Data($0.utf8))
            })
    }
}
