import GRDB

/// A source of a project: the unit a reprocess replaces data of.
public struct StoreSourceKey: Sendable, Hashable, CustomStringConvertible {
    public let project: String
    public let source: String

    public init(project: String, source: String) {
        self.project = project
        self.source = source
    }

    public var description: String { "\(project)/\(source)" }
}

/// What `replaceRows(in:of:with:)` did.
public struct StoreRangeReplacement: Sendable {
    /// Stored rows removed from the range (before the new rows went in).
    public var rowsDeleted = 0
    /// New rows written.
    public var rowsWritten = 0
    /// Groups whose channels the new rows changed and whose stored rows all lay inside the range: deleted
    /// and created anew with the new channels.
    public var recreatedGroups: [StoreGroupKey] = []
    /// Appends refused (the group's channels differ and it holds rows outside the range; a bad append):
    /// the group was left exactly as it was, inside the range too.
    public var refused: [StoreError] = []
}

extension TimeSeriesStore {
    /// Replaces, in one transaction, every stored row in `range` of every row group of `sources` with the
    /// rows of `appends`: a reprocess writes a new version of a time range without duplicating rows and
    /// without touching anything outside the range. Readers see the old version or the new one.
    ///
    /// - Rows of `appends` outside `range` are ignored; the sources of `appends` count as affected too.
    /// - A group of an affected source that `appends` do not write to loses its rows in the range (the new
    ///   version has none there).
    /// - A group whose stored channels differ from its append's: if all its stored rows lie inside `range`
    ///   it is deleted and created anew with the new channels, else its append is refused (returned) and the
    ///   group is left as it was.
    /// - Unflushed rows of the affected sources are flushed first, so they obey the replacement too.
    ///
    /// - Throws: database errors (nothing changed then).
    @discardableResult
    public func replaceRows(in range: Range<Int64>, of sources: Set<StoreSourceKey>, with appends: [StoreAppend]) async throws
        -> StoreRangeReplacement
    {
        var report = StoreRangeReplacement()
        // The new rows per group, clipped to the range and checked like `append` checks them.
        var incoming: [StoreGroupKey: (channels: [StoreChannel], rows: StoreRows)] = [:]
        var order: [StoreGroupKey] = []
        for a in appends {
            guard a.columns.count == a.channels.count,
                zip(a.channels, a.columns).allSatisfy({ $0.valueType == $1.valueType && $1.count == a.timestamps.count })
            else {
                report.refused.append(
                    .schemaMismatch(group: a.group.description, stored: a.channels.map(\.name), written: a.columns.map { "\($0.valueType)" }))
                continue
            }
            var rows = StoreRows(timestamps: a.timestamps, columns: a.columns).sortedKeepingLastWrite().rows(in: range)
            guard rows.count > 0 else { continue }
            if let existing = incoming[a.group] {
                guard existing.channels.map(\.name) == a.channels.map(\.name),
                    existing.channels.map(\.valueType) == a.channels.map(\.valueType)
                else {
                    report.refused.append(
                        .schemaMismatch(group: a.group.description, stored: existing.channels.map(\.name), written: a.channels.map(\.name)))
                    continue
                }
                var merged = existing.rows
                merged.append(rows)
                rows = merged.sortedKeepingLastWrite()
            } else {
                order.append(a.group)
            }
            incoming[a.group] = (a.channels, rows)
        }
        let affected = sources.union(incoming.keys.map { StoreSourceKey(project: $0.project, source: $0.source) })
        let pending = groups.keys.filter { affected.contains(StoreSourceKey(project: $0.project, source: $0.source)) }
        try await flush(pending, checkpoints: [:])

        struct Outcome {
            var report: StoreRangeReplacement
            var states: [StoreGroupKey: GroupState] = [:]
            var forgotten: [StoreGroupKey] = []
            var touchedGroups: [Int64] = []
            var deletedSeries: Set<Int64> = []
        }
        let rollupWidths = self.rollupWidths
        let newRows = incoming
        let writeOrder = order
        let checked = report
        // Incoming groups by source, name and canonical tags (how rowGroup rows are matched to them).
        var lookup: [String: StoreGroupKey] = [:]
        for key in incoming.keys { lookup[Self.lookupKey(key.project, key.source, key.name, key.canonicalTags)] = key }
        let incomingByRow = lookup
        let outcome = try await writeToEnd { db -> Outcome in
            var outcome = Outcome(report: checked)
            var refusedKeys: Set<StoreGroupKey> = []
            for source in affected {
                let stored = try Row.fetchAll(
                    db, sql: "SELECT id, name, tags FROM rowGroup WHERE project = ? AND source = ?",
                    arguments: [source.project, source.source])
                for row in stored {
                    let group: Int64 = row["id"]
                    let name: String = row["name"]
                    let tags: String = row["tags"]
                    let key = incomingByRow[Self.lookupKey(source.project, source.source, name, tags)]
                    let series = try Row.fetchAll(
                        db, sql: "SELECT id, channel, valueType FROM series WHERE rowGroup = ? ORDER BY position",
                        arguments: [group])
                    let seriesIDs: [Int64] = series.map { $0["id"] }
                    let types = series.map { StoreValueType(rawValue: $0["valueType"]) ?? .float64 }
                    let storedNames: [String] = series.map { $0["channel"] }
                    let label = "\(source.project)/\(source.source)/\(name)"
                    let newChannels = key.flatMap { newRows[$0]?.channels }
                    if let key, let newChannels,
                        storedNames != newChannels.map(\.name) || types != newChannels.map(\.valueType)
                    {
                        // Channels changed: replaceable only if nothing of the group lies outside the range.
                        let extent = try Row.fetchOne(
                            db, sql: "SELECT MIN(start) AS low, MAX(end) AS high, COALESCE(SUM(count), 0) AS rows FROM groupChunk WHERE rowGroup = ?",
                            arguments: [group])
                        let low: Int64? = extent?["low"]
                        let high: Int64? = extent?["high"]
                        if let low, let high, low < range.lowerBound || high >= range.upperBound {
                            outcome.report.refused.append(
                                .schemaMismatch(group: key.description, stored: storedNames, written: newChannels.map(\.name)))
                            refusedKeys.insert(key)
                            continue
                        }
                        let (_, deleted) = try Self.deleteGroups(db, where: "id = ?", arguments: [group])
                        outcome.deletedSeries.formUnion(deleted)
                        let rows: Int = extent?["rows"] ?? 0
                        outcome.report.rowsDeleted += rows
                        outcome.report.recreatedGroups.append(key)
                        outcome.forgotten.append(key)
                        continue
                    }
                    outcome.report.rowsDeleted += try Self.deleteRows(
                        db, in: range, group: group, seriesIDs: seriesIDs, types: types, name: label,
                        rollupWidths: rollupWidths)
                    outcome.touchedGroups.append(group)
                }
            }
            for key in writeOrder where !refusedKeys.contains(key) {
                guard let new = newRows[key] else { continue }
                var state = try Self.loadOrCreateGroup(db, key: key, channels: new.channels)
                state.head = new.rows
                try self.writeHead(db, key: key, state: state)
                outcome.report.rowsWritten += new.rows.count
                state.head = StoreRows(empty: state.channels.map(\.valueType))
                outcome.states[key] = state
                outcome.touchedGroups.append(state.id)
            }
            return outcome
        }
        for key in outcome.forgotten { groups[key] = nil }
        for (key, state) in outcome.states {
            // Rows appended to the same group while the transaction ran stay in its head.
            if let current = groups[key], current.id == state.id { continue }
            groups[key] = state
        }
        bucketCaches.advance(outcome.touchedGroups)
        forgetCachedBuckets(of: outcome.deletedSeries)
        return outcome.report
    }

    static func lookupKey(_ project: String, _ source: String, _ name: String, _ tags: String) -> String {
        [project, source, name, tags].joined(separator: "\u{0}")
    }

    /// Removes the rows of one group in `range` (inside the caller's transaction): whole chunks inside it,
    /// the inside rows of chunks across its ends; recomputes the rollups it touched. Returns the rows removed.
    static func deleteRows(
        _ db: Database, in range: Range<Int64>, group: Int64, seriesIDs: [Int64], types: [StoreValueType], name: String,
        rollupWidths: [Int64]
    ) throws -> Int {
        let chunks = try Row.fetchAll(
            db, sql: "SELECT start, end, count FROM groupChunk WHERE rowGroup = ? AND start < ? AND end >= ? ORDER BY start",
            arguments: [group, range.upperBound, range.lowerBound])
        guard !chunks.isEmpty else { return 0 }
        var removed = 0
        let encoding = try Row.fetchAll(
            db, sql: "SELECT decimalExponent FROM series WHERE rowGroup = ? ORDER BY position", arguments: [group]
        ).map { StoreEncodingOptions(decimalExponent: $0["decimalExponent"]) }
        for chunk in chunks {
            let start: Int64 = chunk["start"]
            let end: Int64 = chunk["end"]
            let count: Int = chunk["count"]
            if start >= range.lowerBound && end < range.upperBound {
                try deleteChunk(db, group: group, start: start)
                removed += count
                continue
            }
            let rows = try loadChunk(db, group: group, types: types, start: start, name: name)
            var kept = rows.rows(in: Int64.min..<range.lowerBound)
            kept.append(rows.rows(in: range.upperBound..<Int64.max))
            guard kept.count < rows.count else { continue }
            try deleteChunk(db, group: group, start: start)
            if kept.count > 0 { try insertChunk(db, group: group, rows: kept, encoding: encoding) }
            removed += rows.count - kept.count
        }
        if removed > 0, !rollupWidths.isEmpty {
            let low = Swift.max(range.lowerBound, chunks.first!["start"] as Int64)
            let high = Swift.min(range.upperBound - 1, chunks.last!["end"] as Int64)
            for width in rollupWidths {
                try recomputeRollups(
                    db, group: group, seriesIDs: seriesIDs, types: types, width: width, covering: low...high, name: name)
            }
        }
        return removed
    }
}
