import GRDB

/// A stored series with the id the API names it by, its identity and its declared type and unit.
public struct StoreSeriesInfo: Sendable, Hashable {
    public let id: Int64
    public let key: StoreSeriesKey
    public let valueType: StoreValueType
    public let unit: String?
    public let decimalExponent: Int?
}

/// A source of one project (a drone, a sensor node, an uploaded flight) and how much it holds.
public struct StoreSourceInfo: Sendable, Hashable {
    public let name: String
    public let groups: Int
    public let series: Int
}

extension TimeSeriesStore {
    /// The sources of `project`, by name.
    public nonisolated func sources(project: String) async throws -> [StoreSourceInfo] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT g.source, COUNT(DISTINCT g.id) AS groups, COUNT(s.id) AS series
                    FROM rowGroup g LEFT JOIN series s ON s.rowGroup = g.id
                    WHERE g.project = ? GROUP BY g.source ORDER BY g.source
                    """,
                arguments: [project]
            ).map { StoreSourceInfo(name: $0["source"], groups: $0["groups"], series: $0["series"]) }
        }
    }

    /// The series of `project`, optionally narrowed to a source, a row group name and a channel, ordered by
    /// source, group and channel position; at most `limit`.
    public nonisolated func series(
        project: String, source: String? = nil, group: String? = nil, channel: String? = nil, limit: Int = 10_000
    ) async throws -> [StoreSeriesInfo] {
        var sql = """
            SELECT s.id, g.project, g.source, g.name, g.tags, s.channel, s.valueType, s.unit, s.decimalExponent
            FROM rowGroup g JOIN series s ON s.rowGroup = g.id WHERE g.project = ?
            """
        var arguments: StatementArguments = [project]
        if let source { sql += " AND g.source = ?"; arguments += [source] }
        if let group { sql += " AND g.name = ?"; arguments += [group] }
        if let channel { sql += " AND s.channel = ?"; arguments += [channel] }
        sql += " ORDER BY g.source, g.name, g.tags, s.position LIMIT ?"
        arguments += [limit]
        let statement = sql
        let bound = arguments
        return try await pool.read { db in
            try Row.fetchAll(db, sql: statement, arguments: bound).compactMap(Self.seriesInfo)
        }
    }

    /// The series with `id` if it belongs to `project`; nil otherwise (another project's id looks unknown).
    public nonisolated func series(id: Int64, project: String) async throws -> StoreSeriesInfo? {
        try await pool.read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT s.id, g.project, g.source, g.name, g.tags, s.channel, s.valueType, s.unit, s.decimalExponent
                        FROM rowGroup g JOIN series s ON s.rowGroup = g.id WHERE s.id = ? AND g.project = ?
                        """),
                arguments: [id, project]
            ).flatMap(Self.seriesInfo)
        }
    }

    static func seriesInfo(_ row: Row) -> StoreSeriesInfo? {
        guard let type = StoreValueType(rawValue: row["valueType"]) else { return nil }
        let group = StoreGroupKey(
            project: row["project"], source: row["source"], name: row["name"],
            tags: StoreGroupKey.parseCanonicalTags(row["tags"]))
        return StoreSeriesInfo(
            id: row["id"], key: StoreSeriesKey(group: group, channel: row["channel"]), valueType: type,
            unit: row["unit"], decimalExponent: row["decimalExponent"])
    }
}

extension StoreGroupKey {
    /// Tags from their canonical spelling (`canonicalTags`): `k=v` pairs split on unescaped `,` and `=`.
    public static func parseCanonicalTags(_ text: String) -> [String: String] {
        guard !text.isEmpty else { return [:] }
        var tags: [String: String] = [:]
        var key = ""
        var value = ""
        var inValue = false
        var escaped = false
        for c in text {
            if escaped {
                if inValue { value.append(c) } else { key.append(c) }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "=" && !inValue {
                inValue = true
            } else if c == "," {
                tags[key] = value
                key = ""
                value = ""
                inValue = false
            } else if inValue {
                value.append(c)
            } else {
                key.append(c)
            }
        }
        tags[key] = value
        return tags
    }
}

extension TimeSeriesStore {
    /// At most how many rows of `series` lie in `range` (whole overlapping chunks plus unflushed rows): lets a
    /// server refuse a too-large answer before it starts streaming one.
    public func rowCountUpperBound(_ series: StoreSeriesInfo, in range: Range<Int64>) async throws -> Int {
        let pending = groups[series.key.group].map { $0.head.count + ($0.inFlight?.count ?? 0) } ?? 0
        let stored = try await pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(t.count), 0) FROM series s JOIN groupChunk t ON t.rowGroup = s.rowGroup
                    WHERE s.id = ? AND t.start < ? AND t.end >= ?
                    """,
                arguments: [series.id, range.upperBound, range.lowerBound]) ?? 0
        }
        return stored + pending
    }
}
