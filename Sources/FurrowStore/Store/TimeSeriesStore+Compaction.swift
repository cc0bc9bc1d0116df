import GRDB

/// What one `compact` call did.
public struct StoreCompactionReport: Sendable, Hashable {
    /// Row groups whose chunks were examined.
    public var groupsExamined = 0
    /// Small chunks merged away, and the chunks written in their place.
    public var chunksMerged = 0
    public var chunksWritten = 0
    /// Rows re-encoded.
    public var rows = 0
    /// Runs left alone because one of their chunks is corrupt.
    public var corruptRunsSkipped = 0
}

extension TimeSeriesStore {
    /// Merges runs of small adjacent chunks into full ones.
    ///
    /// A writer that flushes often without folding (the daemon, whose checkpoints must stay cheap with tens of
    /// thousands of groups) leaves small chunks; small chunks cost bytes (per-chunk headers, codecs that cannot
    /// find their pattern in 50 values) and query time. A run is merged once it holds at least half a chunk of
    /// rows (or `maximumRun` chunks), so a row is re-encoded about once, not at every flush.
    ///
    /// Looks at the groups flushed most since they were last examined, at most `groupLimit` of them, in one
    /// transaction; call it periodically.
    @discardableResult
    public func compact(groupLimit: Int = 500, minimumFlushes: Int = 8, maximumRun: Int = 64) async throws
        -> StoreCompactionReport
    {
        let candidates = groups.filter { $0.value.flushesSinceCompaction >= minimumFlushes }
            .sorted { $0.value.flushesSinceCompaction > $1.value.flushesSinceCompaction }
            .prefix(Swift.max(groupLimit, 0))
        guard !candidates.isEmpty else { return StoreCompactionReport() }
        bucketCaches.advance(candidates.map(\.value.id))
        let chunkRows = options.chunkRows
        let small = Swift.max(chunkRows / 2, 1)
        // On the writer, not the actor: queries and appends go on meanwhile (a merged chunk holds the same rows,
        // and its bucket-cache key differs from those of the chunks it replaces).
        let report = try await writeToEnd { db -> StoreCompactionReport in
            var report = StoreCompactionReport()
            for (key, state) in candidates {
                report.groupsExamined += 1
                let chunks = try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT start, count FROM groupChunk WHERE rowGroup = ? ORDER BY start"),
                    arguments: [state.id]
                ).map { (start: $0["start"] as Int64, count: $0["count"] as Int) }
                // Runs of consecutive small chunks.
                var runs: [[(start: Int64, count: Int)]] = []
                var run: [(start: Int64, count: Int)] = []
                for chunk in chunks {
                    if chunk.count < small {
                        run.append(chunk)
                        if run.count == maximumRun {
                            runs.append(run)
                            run = []
                        }
                    } else {
                        if run.count > 1 { runs.append(run) }
                        run = []
                    }
                }
                if run.count > 1 { runs.append(run) }
                let types = state.channels.map(\.valueType)
                let encoding = state.channels.map { StoreEncodingOptions(decimalExponent: $0.decimalExponent) }
                for run in runs {
                    let total = run.reduce(0) { $0 + $1.count }
                    guard total >= small || run.count == maximumRun else { continue }
                    var merged = StoreRows(empty: types)
                    do {
                        for chunk in run {
                            merged.append(
                                try Self.loadChunk(
                                    db, group: state.id, types: types, start: chunk.start, name: key.description))
                        }
                    } catch is StoreError {
                        // A corrupt chunk stays as it is (reads report it); the rest of the run waits with it.
                        report.corruptRunsSkipped += 1
                        continue
                    }
                    for chunk in run {
                        try Self.deleteChunk(db, group: state.id, start: chunk.start)
                    }
                    // Chunks never overlap, so the concatenation is sorted and free of duplicates.
                    var offset = 0
                    while offset < merged.count {
                        let piece = merged.slice(offset..<Swift.min(offset + chunkRows, merged.count))
                        offset += piece.count
                        try Self.insertChunk(db, group: state.id, rows: piece, encoding: encoding)
                        report.chunksWritten += 1
                    }
                    report.chunksMerged += run.count
                    report.rows += merged.count
                }
            }
            return report
        }
        for (key, _) in candidates { groups[key]?.flushesSinceCompaction = 0 }
        return report
    }
}
