import Foundation
import GRDB

/// Consecutive rows of one series: what a read yields per chunk, so a long range is never materialised.
public struct StoreSlice: Sendable {
    public let timestamps: [Int64]
    public let values: StoreColumn
}

/// One step of a streaming read: rows, or a corrupt chunk that was skipped (reported, never returned as data).
public enum StoreReadEvent: Sendable {
    case rows(StoreSlice)
    case skipped(StoreError)
}

/// Aggregates of one time bucket. NaNs are counted in `nanCount` and left out of `sum`, `minimum`, `maximum`
/// and `mean`; `first` and `last` are the exact first and last values.
public struct StoreBucket: Sendable, Hashable {
    public let start: Int64
    public var count: Int
    public var nanCount: Int
    public var sum: Double
    public var minimum: Double
    public var maximum: Double
    public var first: Double
    public var last: Double
    /// The requested percentiles of the non-NaN values, in request order (linear interpolation between the
    /// closest ranks, NumPy's default), NaN for a bucket with no such values.
    public var percentiles: [Double] = []
    public var mean: Double { count > nanCount ? sum / Double(count - nanCount) : .nan }
}

extension TimeSeriesStore {
    /// Where a series lives: its group, its series id, its position among the group's channels, its type.
    struct SeriesLocation: Sendable, Equatable {
        let group: Int64
        let series: Int64
        let position: Int
        let type: StoreValueType
    }

    /// Asynchronous: a query must never hold a cooperative thread while it waits for a reader connection
    /// (with the thread pool blocked on the reader pool, nothing could release a reader).
    func locate(_ key: StoreSeriesKey) async throws -> SeriesLocation {
        try await locateAll([key])[0]
    }

    /// The locations of several series, found in one read.
    func locateAll(_ keys: [StoreSeriesKey]) async throws -> [SeriesLocation] {
        let epoch = catalogEpoch
        let locations = try await pool.read { db in try keys.map { try Self.locate(db, $0) } }
        remember(keys, locations, epoch: epoch)
        return locations
    }

    /// Locations as last read, or read now: for a query that confirms them inside its own read transaction
    /// (`confirm`), which saves the lookup its own hop to a reader. `remembered` says which came from memory.
    func rememberedLocations(_ keys: [StoreSeriesKey]) async throws -> (locations: [SeriesLocation], remembered: Bool) {
        let known = keys.compactMap { seriesLocations[$0] }
        if known.count == keys.count { return (known, true) }
        return (try await locateAll(keys), false)
    }

    /// Throws `StaleSeriesLocation` unless every key still has its location (another process may have deleted
    /// and re-created a series; its old group must never be read for it).
    static func confirm(_ db: Database, _ keys: [StoreSeriesKey], _ locations: [SeriesLocation]) throws {
        for (key, location) in zip(keys, locations) {
            let current: SeriesLocation
            do { current = try locate(db, key) } catch { throw StaleSeriesLocation() }
            guard current == location else { throw StaleSeriesLocation() }
        }
    }

    /// Keeps locations read while no series was deleted or moved (`catalogEpoch` unchanged).
    func remember(_ keys: [StoreSeriesKey], _ locations: [SeriesLocation], epoch: Int) {
        guard epoch == catalogEpoch else { return }
        if seriesLocations.count + keys.count > Self.seriesLocationLimit { seriesLocations.removeAll() }
        for (key, location) in zip(keys, locations) { seriesLocations[key] = location }
    }

    /// Series whose locations are remembered at most.
    static let seriesLocationLimit = 100_000

    static func locate(_ db: Database, _ key: StoreSeriesKey) throws -> SeriesLocation {
        let found = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT g.id AS grp, s.id AS series, s.position, s.valueType FROM rowGroup g
                    JOIN series s ON s.rowGroup = g.id
                    WHERE g.project = ? AND g.source = ? AND g.name = ? AND g.tags = ? AND s.channel = ?
                    """),
            arguments: [key.group.project, key.group.source, key.group.name, key.group.canonicalTags, key.channel])
        guard let found, let type = StoreValueType(rawValue: found["valueType"]) else {
            throw StoreError.unknownSeries(key.description)
        }
        return SeriesLocation(group: found["grp"], series: found["series"], position: found["position"], type: type)
    }

    /// The unflushed rows of the series in `range`, sorted, duplicates resolved.
    func headRows(_ key: StoreSeriesKey, position: Int, type: StoreValueType, in range: Range<Int64>) -> StoreRows {
        guard let state = groups[key.group], state.head.count + (state.inFlight?.count ?? 0) > 0 else {
            return StoreRows(empty: [type])
        }
        var pending = state.inFlight ?? StoreRows(empty: state.channels.map(\.valueType))
        pending.append(state.head)
        let sorted = pending.sortedKeepingLastWrite().rows(in: range)
        return StoreRows(timestamps: sorted.timestamps, columns: [sorted.columns[position]])
    }

    /// Streams the values of `series` with timestamps in `range`, chunk by chunk, in time order, unflushed rows
    /// included. A corrupt chunk is reported as `.skipped` and the read goes on.
    public func read(_ series: StoreSeriesKey, in range: Range<Int64>) async throws -> AsyncThrowingStream<
        StoreReadEvent, any Error
    > {
        let location = try await locate(series)
        let head = headRows(series, position: location.position, type: location.type, in: range)
        let pool = self.pool
        let name = series.description
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var headIndex = 0
                    func emit(_ rows: StoreRows) {
                        if rows.count > 0 {
                            continuation.yield(.rows(StoreSlice(timestamps: rows.timestamps, values: rows.columns[0])))
                        }
                    }
                    // Chunks come in batches, each one statement (time and value chunks joined) decoded on the
                    // reader: a few at first so the first rows come soon, then more per round trip.
                    var from: Int64? = nil  // the first batch seeks the first chunk itself
                    var limit = 4
                    while !Task.isCancelled {
                        let batch = try await pool.read { [from, limit] db in
                            try Self.fetchSeriesChunks(
                                db, location: location,
                                from: from ?? Self.firstChunkStart(db, group: location.group, from: range.lowerBound),
                                in: range, limit: limit, name: name
                            ) { _ in .rows }
                        }
                        for (extent, answer) in batch {
                            // Head rows up to this chunk's end belong before or inside it.
                            var upTo = headIndex
                            while upTo < head.count && head.timestamps[upTo] <= extent.end { upTo += 1 }
                            let headPart = head.slice(headIndex..<upTo)
                            headIndex = upTo
                            switch answer {
                            case .rows(let stored):
                                emit(headPart.count == 0 ? stored : StoreRows.merge(older: stored, newer: headPart))
                            case .failed(let error):
                                continuation.yield(.skipped(error))
                                emit(headPart)
                            case .buckets, .statistics:
                                preconditionFailure("a read asks for rows")
                            }
                        }
                        guard batch.count == limit, let last = batch.last, last.extent.start < .max else { break }
                        from = last.extent.start + 1
                        limit = Swift.min(limit * 4, 64)
                    }
                    emit(head.slice(headIndex..<head.count))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Every value of `series` in `range`, gathered (for small ranges and tests); corrupt chunks are skipped and
    /// returned alongside.
    public func readAll(_ series: StoreSeriesKey, in range: Range<Int64>) async throws -> (
        timestamps: [Int64], values: StoreColumn, skipped: [StoreError]
    ) {
        let location = try await locate(series)
        var rows = StoreRows(empty: [location.type])
        var skipped: [StoreError] = []
        for try await event in try await read(series, in: range) {
            switch event {
            case .rows(let slice): rows.append(StoreRows(timestamps: slice.timestamps, columns: [slice.values]))
            case .skipped(let error): skipped.append(error)
            }
        }
        return (rows.timestamps, rows.columns[0], skipped)
    }

    /// The newest value of `series` (flushed or not), or nil if it has none.
    public func latest(_ series: StoreSeriesKey) async throws -> (timestamp: Int64, value: StoreColumn)? {
        let location = try await locate(series)
        let head = headRows(series, position: location.position, type: location.type, in: Int64.min..<Int64.max)
        let name = series.description
        let stored = try await pool.read { db -> StoreRows? in
            guard let start = try Int64.fetchOne(
                db, sql: "SELECT start FROM groupChunk WHERE rowGroup = ? ORDER BY start DESC LIMIT 1",
                arguments: [location.group])
            else { return nil }
            return try Self.loadSeriesChunk(db, location: location, start: start, name: name)
        }
        var candidates: [StoreRows] = [head]
        if let stored { candidates.insert(stored, at: 0) }
        let merged = candidates.reduce(StoreRows(empty: [location.type])) { StoreRows.merge(older: $0, newer: $1) }
        guard merged.count > 0 else { return nil }
        let last = merged.count - 1
        return (merged.timestamps[last], merged.columns[0].slice(last..<merged.count))
    }

    /// Aggregates of `series` over `range` in buckets of `width` µs (aligned to multiples of `width`).
    ///
    /// A chunk that lies inside one bucket and the range, with no unflushed rows over it, is answered from
    /// the statistics in its header without decoding its values.
    ///
    /// `percentiles` (0...100) need every value, so they turn off the statistics and rollup shortcuts.
    public nonisolated func buckets(
        _ series: StoreSeriesKey, in range: Range<Int64>, width: Int64, percentiles: [Double] = []
    ) async throws -> (buckets: [StoreBucket], chunksFromStatistics: Int, skipped: [StoreError], fromRollups: Bool) {
        try await buckets([series], in: range, width: width, percentiles: percentiles)[0]
    }

    /// Buckets of several series over one range: for each, what `buckets(_:in:width:percentiles:)` returns,
    /// with every series located in one read and every chunk planned and read in one more (a dashboard's
    /// 50 soil nodes cost two round trips to SQLite, not a hundred).
    ///
    /// The query takes its turn on the actor once, for the unflushed rows; it reads and merges off the actor,
    /// so ingest keeping the actor busy delays it once, not twice.
    public nonisolated func buckets(
        _ series: [StoreSeriesKey], in range: Range<Int64>, width: Int64, percentiles: [Double] = []
    ) async throws -> [(buckets: [StoreBucket], chunksFromStatistics: Int, skipped: [StoreError], fromRollups: Bool)] {
        precondition(width > 0, "bucket width must be positive")
        do {
            return try await buckets(series, in: range, width: width, percentiles: percentiles, remembered: true)
        } catch is StaleSeriesLocation {
            await forgetLocations()
            return try await buckets(series, in: range, width: width, percentiles: percentiles, remembered: false)
        }
    }

    /// `buckets(_:in:width:percentiles:)` with the series' remembered locations (confirmed in the read) or not.
    nonisolated func buckets(
        _ series: [StoreSeriesKey], in range: Range<Int64>, width: Int64, percentiles: [Double], remembered: Bool
    ) async throws -> [(buckets: [StoreBucket], chunksFromStatistics: Int, skipped: [StoreError], fromRollups: Bool)] {
        let start = try await startBuckets(series, in: range, width: width, percentiles: percentiles, remembered: remembered)
        let query: BucketQuery
        switch start {
        case .answered(let answers): return answers
        case .planned(let planned): query = planned
        }
        // One read transaction: list the chunks, plan each (cached, from statistics, folded, or rows to merge
        // with unflushed rows), then read every chunk that needs reading with one statement, answered on the
        // reader straight from SQLite's memory. The caches are copy-on-write snapshots.
        let names = series.map(\.description)
        let chunkListings = self.chunkListings
        let planned = try await pool.read { db in
            if query.remembered { try Self.confirm(db, series, query.locations) }
            return try query.locations.indices.map { i in
                try Self.planBuckets(
                    db, location: query.locations[i], head: query.heads[i], in: range, width: width,
                    percentiles: percentiles, cache: query.caches[i], listings: chunkListings, name: names[i])
            }
        }
        return planned.indices.map { i in
            let finished = Self.finishBuckets(
                head: query.heads[i], plan: planned[i].plan, answers: planned[i].answers, width: width,
                percentiles: percentiles)
            let location = query.locations[i]
            bucketCaches.insert(
                finished.fresh, series: location.series, group: location.group, width: width,
                generation: query.generations[i])
            return finished.answer
        }
    }

    /// What a bucket query takes from the actor: the series' locations, their unflushed rows, and their caches
    /// (or the whole answer, from rollups).
    struct BucketQuery: Sendable {
        let locations: [SeriesLocation]
        /// The locations came from memory: the read must confirm them.
        let remembered: Bool
        let heads: [StoreRows]
        let generations: [Int]
        let caches: [SeriesBucketCache?]
    }

    enum BucketQueryStart: Sendable {
        case answered([(buckets: [StoreBucket], chunksFromStatistics: Int, skipped: [StoreError], fromRollups: Bool)])
        case planned(BucketQuery)
    }

    /// The part of a bucket query that needs the actor.
    func startBuckets(
        _ series: [StoreSeriesKey], in range: Range<Int64>, width: Int64, percentiles: [Double], remembered: Bool
    ) async throws -> BucketQueryStart {
        let useRollups = !rollupWidths.isEmpty && percentiles.isEmpty
        // Rollups are read in a transaction of their own: with them, locations are read fresh.
        let (locations, fromMemory) =
            remembered && !useRollups ? try await rememberedLocations(series) : (try await locateAll(series), false)
        var heads: [StoreRows] = []
        for (key, location) in zip(series, locations) {
            guard location.type != .string else { throw StoreError.typeMismatch(
                group: key.group.description, channel: key.channel, declared: .string, written: .float64) }
            heads.append(headRows(key, position: location.position, type: location.type, in: range))
        }
        if useRollups {
            var answers: [(buckets: [StoreBucket], chunksFromStatistics: Int, skipped: [StoreError], fromRollups: Bool)] = []
            for (location, head) in zip(locations, heads) {
                guard let fromRollups = try bucketsFromRollups(location, headCount: head.count, in: range, width: width)
                else { break }
                answers.append((fromRollups, 0, [], true))
            }
            if answers.count == series.count { return .answered(answers) }
        }
        let generations = locations.map { bucketCaches.generation(of: $0.group) }
        let caches = zip(locations, generations).map { location, generation in
            percentiles.isEmpty
                ? bucketCaches.cache(series: location.series, width: width, generation: generation) : nil
        }
        return .planned(
            BucketQuery(
                locations: locations, remembered: fromMemory, heads: heads, generations: generations, caches: caches))
    }

    /// Plans how each chunk of `location` over `range` is answered and reads those that need reading (one
    /// statement), on a reader.
    static func planBuckets(
        _ db: Database, location: SeriesLocation, head: StoreRows, in range: Range<Int64>, width: Int64,
        percentiles: [Double], cache: SeriesBucketCache?, listings: ChunkListCache, name: String
    ) throws -> (plan: [PlannedChunk], answers: [Int64: ChunkAnswer]) {
        let chunks = try listings.extents(db, group: location.group, in: range) { db in
            try Self.chunkExtents(db, group: location.group, in: range)
        }
        var plan: [PlannedChunk] = []
        plan.reserveCapacity(chunks.count)
        var headIndex = 0
        var cacheCursor = 0
        let noRows = StoreRows(empty: [location.type])
        for chunk in chunks {
            var upTo = headIndex
            while upTo < head.count && head.timestamps[upTo] <= chunk.end { upTo += 1 }
            // Most chunks have no unflushed rows before or in them: one shared empty slice, not one each.
            let headPart = upTo == headIndex ? noRows : head.slice(headIndex..<upTo)
            headIndex = upTo
            let headInside = headPart.timestamps.contains { $0 >= chunk.start }
            let inside = chunk.start >= range.lowerBound && chunk.end < range.upperBound
            // A stored chunk wholly inside the range with no unflushed rows over it: its buckets are the
            // same for every query of this width until the group's chunks are rewritten, so they are cached.
            let cacheable = inside && !headInside && percentiles.isEmpty
            let cached = cacheable ? cache?.buckets(of: chunk, cursor: &cacheCursor) : nil
            let need: ChunkNeed?
            if cached != nil {
                need = nil
            } else if cacheable, Self.bucketStart(chunk.start, width) == Self.bucketStart(chunk.end, width) {
                need = .statistics(width: width)
            } else if !headInside && percentiles.isEmpty {
                need = .buckets(width: width)
            } else {
                need = .rows
            }
            plan.append(PlannedChunk(extent: chunk, headPart: headPart, cacheable: cacheable, cached: cached, need: need))
        }
        var answers: [Int64: ChunkAnswer] = [:]
        let wanted = plan.filter { $0.need != nil }
        if let first = wanted.first, let last = wanted.last {
            var needs: [Int64: ChunkNeed] = [:]
            for p in wanted { needs[p.extent.start] = p.need }
            for (extent, answer) in try Self.fetchSeriesChunks(
                db, location: location, from: first.extent.start, through: last.extent.start, in: range,
                limit: Int.max, name: name, need: { needs[$0.start] })
            {
                answers[extent.start] = answer
            }
        }
        return (plan, answers)
    }

    /// Folds a planned and read bucket query together with the unflushed rows; `fresh` are the chunks' buckets
    /// worth caching.
    static func finishBuckets(
        head: StoreRows, plan: [PlannedChunk], answers: [Int64: ChunkAnswer], width: Int64, percentiles: [Double]
    ) -> (
        answer: (buckets: [StoreBucket], chunksFromStatistics: Int, skipped: [StoreError], fromRollups: Bool),
        fresh: [SeriesBucketCache.Entry]
    ) {
        func bucketStart(_ t: Int64) -> Int64 { Self.bucketStart(t, width) }
        // Kept sorted by start: chunks and unflushed rows arrive in time order, so nearly every bucket is
        // appended or combined with the last one (a dictionary and a final sort were a fifth of a cached query).
        var buckets: [StoreBucket] = []
        func put(_ b: StoreBucket) {
            if let last = buckets.last, last.start <= b.start {
                if last.start == b.start {
                    buckets[buckets.count - 1] = last.combined(with: b)
                } else {
                    buckets.append(b)
                }
                return
            }
            var low = 0
            var high = buckets.count
            while low < high {
                let mid = (low + high) / 2
                if buckets[mid].start < b.start { low = mid + 1 } else { high = mid }
            }
            if low < buckets.count && buckets[low].start == b.start {
                buckets[low] = buckets[low].combined(with: b)
            } else {
                buckets.insert(b, at: low)
            }
        }
        var samples: [Int64: [Double]] = [:]
        /// Folds sorted rows bucket by bucket (one dictionary update per bucket, not per value).
        func addRows(_ rows: StoreRows) {
            let values = rows.columns[0].doubles
            var current: StoreBucket? = nil
            func close() {
                if let c = current { put(c) }
            }
            for (t, v) in zip(rows.timestamps, values) {
                let b = bucketStart(t)
                if current?.start != b {
                    close()
                    current = StoreBucket(
                        start: b, count: 0, nanCount: 0, sum: 0, minimum: .nan, maximum: .nan, first: v, last: v)
                }
                current!.add(v)
                if !percentiles.isEmpty && !v.isNaN { samples[b, default: []].append(v) }
            }
            close()
        }
        var fromStatistics = 0
        var skipped: [StoreError] = []
        func merge(_ partials: [StoreBucket]) {
            for partial in partials { put(partial) }
        }
        var fresh: [SeriesBucketCache.Entry] = []
        let headIndex = plan.reduce(0) { $0 + $1.headPart.count }
        for p in plan {
            if case .rows = p.need {
                // Unflushed rows inside this chunk: merged with it (a duplicate timestamp keeps the unflushed row).
                switch answers[p.extent.start] {
                case .rows(let stored):
                    addRows(p.headPart.count == 0 ? stored : StoreRows.merge(older: stored, newer: p.headPart))
                case .failed(let error):
                    skipped.append(error)
                    addRows(p.headPart)
                default:
                    addRows(p.headPart)  // not answered (the plan and the read are one transaction)
                }
                continue
            }
            addRows(p.headPart)  // unflushed rows before this chunk
            if let cached = p.cached {
                merge(cached)
                fromStatistics += 1
                continue
            }
            switch answers[p.extent.start] {
            case .statistics(let bucket):
                merge([bucket])
                if p.cacheable { fresh.append(.init(p.extent, [bucket])) }
                fromStatistics += 1
            case .buckets(let partials):
                merge(partials)
                if p.cacheable { fresh.append(.init(p.extent, partials)) }
            case .rows(let stored):
                addRows(stored)
            case .failed(let error):
                skipped.append(error)
            case nil:
                break  // not answered: the chunk was not among those read (the plan and the read are one transaction)
            }
        }
        addRows(head.slice(headIndex..<head.count))
        var result = buckets
        if !percentiles.isEmpty {
            for i in result.indices {
                let sorted = (samples[result[i].start] ?? []).sorted()
                result[i].percentiles = percentiles.map { Self.percentile(sorted, $0) }
            }
        }
        return ((result, fromStatistics, skipped, false), fresh)
    }

    /// Buckets of sorted rows (one per bucket touched, in time order).
    static func foldBuckets(_ rows: StoreRows, width: Int64) -> [StoreBucket] {
        var out: [StoreBucket] = []
        for (t, v) in zip(rows.timestamps, rows.columns[0].doubles) {
            let b = bucketStart(t, width)
            if out.last?.start != b {
                out.append(StoreBucket(start: b, count: 0, nanCount: 0, sum: 0, minimum: .nan, maximum: .nan, first: v, last: v))
            }
            out[out.count - 1].add(v)
        }
        return out
    }

    /// The `p`-th percentile (0...100) of sorted values by linear interpolation between closest ranks.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty, p.isFinite else { return .nan }
        let h = Double(sorted.count - 1) * Swift.min(Swift.max(p, 0), 100) / 100
        let low = Int(h.rounded(.down))
        let high = Swift.min(low + 1, sorted.count - 1)
        return sorted[low] + (h - Double(low)) * (sorted[high] - sorted[low])
    }

    /// Decodes the time chunk and one series' value chunk of the group's chunk at `start`.
    static func loadSeriesChunk(
        _ db: Database, location: SeriesLocation, start: Int64, name: String
    ) throws -> StoreRows {
        try loadChunk(
            db, group: location.group, types: [location.type], positions: [location.position], start: start, name: name)
    }
}

/// A remembered series location no longer holds: the query starts again with a fresh one.
struct StaleSeriesLocation: Error {}

/// How `buckets` answers one stored chunk, decided before its bytes are read.
struct PlannedChunk: Sendable {
    let extent: TimeSeriesStore.ChunkExtent
    /// Unflushed rows up to the chunk's end (before it, or inside it).
    let headPart: StoreRows
    /// Wholly inside the range with no unflushed rows over it: its buckets can be cached.
    let cacheable: Bool
    /// Its buckets, from the cache.
    let cached: [StoreBucket]?
    /// nil: the cache has its buckets.
    let need: TimeSeriesStore.ChunkNeed?
}

extension SeriesBucketCache.Entry {
    init(_ extent: TimeSeriesStore.ChunkExtent, _ buckets: [StoreBucket]) {
        self.init(start: extent.start, end: extent.end, count: extent.count, buckets: buckets)
    }
}

extension StoreColumn {
    /// Numeric values as Doubles (bools as 0/1); empty for strings.
    public var doubles: [Double] {
        switch self {
        case .float64(let v): v
        case .float32(let v): v.map { Double($0) }
        case .int64(let v), .state(let v), .timestamp(let v): v.map { Double($0) }
        case .bool(let v): v.map { $0 ? 1 : 0 }
        case .string: []
        }
    }
}

extension StoreBucket {
    /// A bucket from a chunk header's statistics, or nil if the type has none usable.
    init?(start: Int64, header: StoreChunkHeader) {
        switch header.statistics {
        case .float64(let s):
            self.init(
                start: start, count: header.count, nanCount: s.nanCount, sum: s.sum, minimum: s.minimum,
                maximum: s.maximum, first: s.first, last: s.last)
        case .float32(let s):
            self.init(
                start: start, count: header.count, nanCount: s.nanCount, sum: s.sum, minimum: Double(s.minimum),
                maximum: Double(s.maximum), first: Double(s.first), last: Double(s.last))
        case .integer(let s):
            self.init(
                start: start, count: header.count, nanCount: 0, sum: s.sum.doubleValue, minimum: Double(s.minimum),
                maximum: Double(s.maximum), first: Double(s.first), last: Double(s.last))
        default:
            return nil
        }
    }

    /// This bucket followed (in time) by `later`.
    func combined(with later: StoreBucket) -> StoreBucket {
        var out = self
        out.count += later.count
        out.nanCount += later.nanCount
        out.sum += later.sum
        if !later.minimum.isNaN { out.minimum = out.minimum.isNaN ? later.minimum : Swift.min(out.minimum, later.minimum) }
        if !later.maximum.isNaN { out.maximum = out.maximum.isNaN ? later.maximum : Swift.max(out.maximum, later.maximum) }
        out.last = later.last
        return out
    }
}
