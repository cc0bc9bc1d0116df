import Foundation
import FurrowAgronomy
import GRDB

/// A field (or zone) of a project: where it is, what grows there, and free agronomic properties.
public struct Field: Sendable, Codable, Hashable {
    public var id: Int64
    public var project: String
    public var name: String
    public var crop: String?
    /// ISO 8601 date (YYYY-MM-DD).
    public var plantingDate: String?
    public var boundary: FieldBoundary?
    /// Computed from the boundary (m²); nil without one.
    public var areaSquareMetres: Double?
    /// Soil, stages, sources and other settings later summaries read (a JSON object).
    public var properties: [String: JSONValue]
    /// The field this zone belongs to (nil for a field); a zone inherits its parent's crop, planting date,
    /// time zone and irrigation settings where it gives none.
    public var parent: Int64?
    /// IANA time zone whose local days the summaries use (nil = UTC).
    public var timeZone: String?
    /// Crop coefficients, soil, roots, management and the series feeding the irrigation summary.
    public var irrigation: IrrigationSettings?
}

/// What a client sends to create or replace a field.
public struct FieldInput: Sendable, Codable {
    public var name: String
    public var crop: String?
    public var plantingDate: String?
    public var boundary: FieldBoundary?
    public var properties: [String: JSONValue]?
    public var parent: Int64?
    public var timeZone: String?
    public var irrigation: IrrigationSettings?

    public init(
        name: String, crop: String? = nil, plantingDate: String? = nil, boundary: FieldBoundary? = nil,
        properties: [String: JSONValue]? = nil, parent: Int64? = nil, timeZone: String? = nil,
        irrigation: IrrigationSettings? = nil
    ) {
        self.name = name
        self.crop = crop
        self.plantingDate = plantingDate
        self.boundary = boundary
        self.properties = properties
        self.parent = parent
        self.timeZone = timeZone
        self.irrigation = irrigation
    }
}

/// Any JSON value, for fields' free-form properties.
public enum JSONValue: Sendable, Codable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

/// Fields per project, in the store's database (table `field`).
public struct FieldCatalog: Sendable {
    public let database: any DatabaseWriter

    public init(database: any DatabaseWriter) {
        self.database = database
    }

    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("fields-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE field (
                        id INTEGER PRIMARY KEY,
                        project TEXT NOT NULL REFERENCES project(slug) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        crop TEXT,
                        plantingDate TEXT,
                        boundary TEXT,
                        areaSquareMetres REAL,
                        properties TEXT NOT NULL DEFAULT '{}',
                        UNIQUE (project, name)
                    );
                    """)
        }
        // Zones (a field with a parent), the local time zone of its days, and the irrigation settings.
        migrator.registerMigration("fields-v2-irrigation") { db in
            try db.execute(
                sql: """
                    ALTER TABLE field ADD COLUMN parent INTEGER REFERENCES field(id) ON DELETE CASCADE;
                    ALTER TABLE field ADD COLUMN timeZone TEXT;
                    ALTER TABLE field ADD COLUMN irrigation TEXT;
                    CREATE INDEX fieldParent ON field(parent);
                    """)
        }
    }

    /// Why a field was refused.
    public enum Problem: Error, Sendable, Equatable {
        case nameTaken(String)
        case invalid(parameter: String, reason: String)
    }

    public func fields(project: String) throws -> [Field] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM field WHERE project = ? ORDER BY name", arguments: [project])
                .map(Self.field)
        }
    }

    public func field(id: Int64, project: String) throws -> Field? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM field WHERE id = ? AND project = ?", arguments: [id, project])
                .map(Self.field)
        }
    }

    /// Creates a field, or replaces field `id` of `project` when given (nil if that field does not exist).
    public func save(_ input: FieldInput, project: String, id: Int64? = nil) throws -> Field? {
        let name = input.name.trimmingCharacters(in: .whitespaces)
        guard (1...200).contains(name.count) else {
            throw Problem.invalid(parameter: "name", reason: "a field name has 1–200 characters")
        }
        if let date = input.plantingDate, Self.parseDate(date) == nil {
            throw Problem.invalid(parameter: "plantingDate", reason: "\(date) is not a date YYYY-MM-DD")
        }
        if let zone = input.timeZone, TimeZone(identifier: zone) == nil {
            throw Problem.invalid(parameter: "timeZone", reason: "\(zone) is not an IANA time zone (Europe/Madrid, America/Chicago, UTC)")
        }
        if let settings = input.irrigation {
            do {
                try settings.validate(crop: input.crop, inherited: input.parent != nil)
            } catch {
                throw Problem.invalid(parameter: error.parameter, reason: error.reason)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let irrigation = try input.irrigation.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let boundary = try input.boundary.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let properties = String(decoding: try encoder.encode(input.properties ?? [:]), as: UTF8.self)
        let area = input.boundary?.areaSquareMetres
        return try database.write { db -> Field? in
            let clash = try Int64.fetchOne(
                db, sql: "SELECT id FROM field WHERE project = ? AND name = ?", arguments: [project, name])
            if let clash, clash != id { throw Problem.nameTaken(name) }
            if let parent = input.parent {
                guard parent != id else { throw Problem.invalid(parameter: "parent", reason: "a field cannot be its own zone") }
                guard let grand = try Row.fetchOne(
                    db, sql: "SELECT parent FROM field WHERE id = ? AND project = ?", arguments: [parent, project])
                else { throw Problem.invalid(parameter: "parent", reason: "no field \(parent) in this project") }
                guard (grand["parent"] as Int64?) == nil else {
                    throw Problem.invalid(parameter: "parent", reason: "field \(parent) is itself a zone; zones do not nest")
                }
                if let id, try (Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM field WHERE parent = ?", arguments: [id]) ?? 0) > 0 {
                    throw Problem.invalid(parameter: "parent", reason: "field \(id) has zones; it cannot become a zone")
                }
            }
            let rowID: Int64
            if let id {
                try db.execute(
                    sql: """
                        UPDATE field SET name = ?, crop = ?, plantingDate = ?, boundary = ?, areaSquareMetres = ?,
                        properties = ?, parent = ?, timeZone = ?, irrigation = ? WHERE id = ? AND project = ?
                        """,
                    arguments: [
                        name, input.crop, input.plantingDate, boundary, area, properties, input.parent, input.timeZone,
                        irrigation, id, project,
                    ])
                guard db.changesCount > 0 else { return nil }
                rowID = id
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO field (project, name, crop, plantingDate, boundary, areaSquareMetres, properties,
                            parent, timeZone, irrigation)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        project, name, input.crop, input.plantingDate, boundary, area, properties, input.parent,
                        input.timeZone, irrigation,
                    ])
                rowID = db.lastInsertedRowID
            }
            return try Row.fetchOne(db, sql: "SELECT * FROM field WHERE id = ?", arguments: [rowID]).map(Self.field)
        }
    }

    /// Deletes field `id` of `project`; false if there is none.
    public func delete(id: Int64, project: String) throws -> Bool {
        try database.write { db in
            try db.execute(sql: "DELETE FROM field WHERE id = ? AND project = ?", arguments: [id, project])
            return db.changesCount > 0
        }
    }

    static func parseDate(_ text: String) -> DateComponents? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: y, month: m, day: d)
        guard let date = calendar.date(from: components),
            calendar.dateComponents([.year, .month, .day], from: date) == components
        else { return nil }
        return components
    }

    static func field(_ row: Row) -> Field {
        let decoder = JSONDecoder()
        let boundary = (row["boundary"] as String?).flatMap { try? decoder.decode(FieldBoundary.self, from: Data($0.utf8)) }
        let properties = (try? decoder.decode([String: JSONValue].self, from: Data((row["properties"] as String).utf8))) ?? [:]
        return Field(
            id: row["id"], project: row["project"], name: row["name"], crop: row["crop"],
            plantingDate: row["plantingDate"], boundary: boundary, areaSquareMetres: row["areaSquareMetres"],
            properties: properties, parent: row["parent"], timeZone: row["timeZone"],
            irrigation: (row["irrigation"] as String?).flatMap { try? decoder.decode(IrrigationSettings.self, from: Data($0.utf8)) })
    }
}
