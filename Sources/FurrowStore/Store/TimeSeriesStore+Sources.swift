import GRDB

/// What `deleteSource` removed.
public struct StoreSourceDeletion: Sendable, Hashable {
    public var groups = 0
    public var series = 0
    public var chunks = 0
}

extension TimeSeriesStore {
    /// Project names that start with this are staging areas: no project slug can (slugs are `[a-z0-9-]`), so
    /// nothing written there is visible through any project until `moveSource` publishes it.
    public static let stagingPrefix = "~staging/"

    /// Moves every row group of `source` in `project` to `newSource` in `newProject` in one transaction, with
    /// `alsoIn` run inside it: an importer writes into a staging project, then publishes the source together with
    /// the record that points at it (a flight), so readers see all of it or none.
    ///
    /// Heads are flushed first. Fails (nothing moved) when the target already holds a group of the same name.
    @discardableResult
    public func moveSource<T: Sendable>(
        project: String, source: String, toProject newProject: String, toSource newSource: String,
        alsoIn: @Sendable (Database) throws -> T
    ) async throws -> T {
        let keys = groups.keys.filter { $0.project == project && $0.source == source }
        try await flush(Array(keys), checkpoints: [:])
        let result = try await pool.write { db in
            try db.execute(
                sql: "UPDATE rowGroup SET project = ?, source = ? WHERE project = ? AND source = ?",
                arguments: [newProject, newSource, project, source])
            return try alsoIn(db)
        }
        for key in keys { groups[key] = nil }
        forgetLocations()
        return result
    }

    /// Deletes `source` of `project` (chunks, rollups, series, groups, and rows not flushed yet): an import that
    /// failed takes back everything it wrote.
    @discardableResult
    public func deleteSource(project: String, source: String) throws -> StoreSourceDeletion {
        for key in groups.keys where key.project == project && key.source == source { groups[key] = nil }
        let (deletion, seriesIDs) = try pool.write { db in
            try Self.deleteGroups(db, where: "project = ? AND source = ?", arguments: [project, source])
        }
        forgetCachedBuckets(of: seriesIDs)
        return deletion
    }

    /// Deletes one row group (its chunks, rollups and series, and rows not flushed yet): a reprocess replaces a
    /// group whose channels a newer profile changed.
    @discardableResult
    public func deleteGroup(_ key: StoreGroupKey) throws -> StoreSourceDeletion {
        groups[key] = nil
        let (deletion, seriesIDs) = try pool.write { db in
            try Self.deleteGroups(
                db, where: "project = ? AND source = ? AND name = ? AND tags = ?",
                arguments: [key.project, key.source, key.name, key.canonicalTags])
        }
        forgetCachedBuckets(of: seriesIDs)
        return deletion
    }

    /// Deletes every staging project (what imports interrupted by a crash or restart had written).
    @discardableResult
    public func deleteStagedSources() throws -> StoreSourceDeletion {
        let prefix = Self.stagingPrefix
        for key in groups.keys where key.project.hasPrefix(prefix) { groups[key] = nil }
        let (deletion, seriesIDs) = try pool.write { db in
            try Self.deleteGroups(db, where: "substr(project, 1, ?) = ?", arguments: [prefix.utf8.count, prefix])
        }
        forgetCachedBuckets(of: seriesIDs)
        return deletion
    }

    /// Series were deleted or moved: their remembered locations go, and locations being read now are not kept.
    func forgetLocations() {
        seriesLocations.removeAll()
        catalogEpoch += 1
    }

    /// SQLite may hand a deleted series' id to a new series: cached buckets must not outlive the series.
    func forgetCachedBuckets(of seriesIDs: Set<Int64>) {
        forgetLocations()
        guard !seriesIDs.isEmpty else { return }
        bucketCaches.forget(series: seriesIDs)
    }

    static func deleteGroups(_ db: Database, where condition: String, arguments: StatementArguments) throws
        -> (StoreSourceDeletion, Set<Int64>)
    {
        var deletion = StoreSourceDeletion()
        var deleted = Set<Int64>()
        let groupIDs = try Int64.fetchAll(db, sql: "SELECT id FROM rowGroup WHERE \(condition)", arguments: arguments)
        for group in groupIDs {
            let seriesIDs = try Int64.fetchAll(db, sql: "SELECT id FROM series WHERE rowGroup = ?", arguments: [group])
            for series in seriesIDs {
                deleted.insert(series)
                try db.execute(sql: "DELETE FROM rollup WHERE series = ?", arguments: [series])
            }
            try db.execute(sql: "DELETE FROM groupChunk WHERE rowGroup = ?", arguments: [group])
            deletion.chunks += db.changesCount
            try db.execute(sql: "DELETE FROM series WHERE rowGroup = ?", arguments: [group])
            deletion.series += seriesIDs.count
            try db.execute(sql: "DELETE FROM rowGroup WHERE id = ?", arguments: [group])
            deletion.groups += 1
        }
        return (deletion, deleted)
    }
}
