import Synchronization

/// The buckets of one series' stored chunks at one width, kept in chunk order so a repeated query walks them in
/// step with the chunk listing instead of hashing a key per chunk (a day of a 50 Hz channel is ~1,000 chunks).
///
/// An entry names its chunk's start, end and row count, so a chunk rewritten by a writer the store does not
/// see (another process, the bulk loader) no longer matches its entry; rewrites the store makes itself advance
/// its group's generation, which empties the cache of every series of the group.
struct SeriesBucketCache: Sendable {
    /// One stored chunk's partial buckets.
    struct Entry: Sendable {
        let start: Int64
        let end: Int64
        let count: Int
        let buckets: [StoreBucket]
    }

    /// The group's generation the entries belong to.
    let generation: Int
    /// Sorted by `start` (chunks of a group never overlap).
    private(set) var entries: [Entry] = []

    init(generation: Int) {
        self.generation = generation
    }

    /// The cached buckets of `extent`, advancing `cursor` past every entry before it: called with extents in
    /// time order, the whole walk costs one pass over the entries.
    func buckets(of extent: TimeSeriesStore.ChunkExtent, cursor: inout Int) -> [StoreBucket]? {
        while cursor < entries.count && entries[cursor].start < extent.start { cursor += 1 }
        guard cursor < entries.count else { return nil }
        let entry = entries[cursor]
        guard entry.start == extent.start, entry.end == extent.end, entry.count == extent.count else { return nil }
        return entry.buckets
    }

    /// Adds entries (sorted by start); an entry for a start already held replaces it. Returns how many entries
    /// the cache holds now.
    @discardableResult
    mutating func insert(_ fresh: [Entry]) -> Int {
        guard !fresh.isEmpty else { return entries.count }
        if let last = entries.last, last.start < fresh[0].start {
            entries += fresh  // the common case: a first query, or newer chunks than any cached
            return entries.count
        }
        var merged: [Entry] = []
        merged.reserveCapacity(entries.count + fresh.count)
        var i = 0
        var j = 0
        while i < entries.count || j < fresh.count {
            if j == fresh.count || (i < entries.count && entries[i].start < fresh[j].start) {
                merged.append(entries[i])
                i += 1
            } else {
                if i < entries.count && entries[i].start == fresh[j].start { i += 1 }
                merged.append(fresh[j])
                j += 1
            }
        }
        entries = merged
        return entries.count
    }
}

/// A series and a bucket width: what a `SeriesBucketCache` is kept for.
struct SeriesBucketCacheKey: Hashable, Sendable {
    let series: Int64
    let width: Int64
}

/// Every series' bucket caches and the group generations they belong to, behind one lock: the store's actor
/// advances generations when it rewrites chunks, and queries read and fill the caches without the actor (a
/// query then needs the actor once, not again after its read, while ingest keeps the actor busy).
final class BucketCaches: Sendable {
    private struct State {
        var caches: [SeriesBucketCacheKey: SeriesBucketCache] = [:]
        /// Chunks the caches hold, all series and widths together.
        var chunks = 0
        var generations: [Int64: Int] = [:]
        /// Added to every group's generation: advancing it advances them all.
        var base = 0
    }

    private let state = Mutex(State())
    /// Chunks whose buckets the caches hold at most (about 100 B each for minute buckets of 4,096-row chunks).
    let chunkLimit: Int

    init(chunkLimit: Int = 200_000) {
        self.chunkLimit = chunkLimit
    }

    /// The generation of `group`'s stored chunks: it changes whenever the store rewrites or deletes them.
    func generation(of group: Int64) -> Int {
        state.withLock { ($0.generations[group] ?? 0) + $0.base }
    }

    /// The groups' stored chunks were rewritten: their cached buckets no longer count.
    func advance<Groups: Sequence<Int64>>(_ groups: Groups) {
        state.withLock { state in
            for group in groups { state.generations[group, default: 0] += 1 }
        }
    }

    /// Chunks of any group may have changed (retention): every cache is emptied.
    func advanceAll() {
        state.withLock { state in
            state.base += 1
            state.caches.removeAll()
            state.chunks = 0
        }
    }

    /// The cache of `series` at `width` if it belongs to `generation`.
    func cache(series: Int64, width: Int64, generation: Int) -> SeriesBucketCache? {
        state.withLock { state in
            guard let cache = state.caches[SeriesBucketCacheKey(series: series, width: width)],
                cache.generation == generation
            else { return nil }
            return cache
        }
    }

    /// Keeps chunks' buckets (sorted by start) planned under `generation`; dropped if `group`'s generation has
    /// moved on meanwhile. Every cache is emptied when they would hold more than `chunkLimit` chunks.
    func insert(_ fresh: [SeriesBucketCache.Entry], series: Int64, group: Int64, width: Int64, generation: Int) {
        guard !fresh.isEmpty else { return }
        state.withLock { state in
            guard (state.generations[group] ?? 0) + state.base == generation else { return }
            if state.chunks + fresh.count > chunkLimit {
                state.caches.removeAll(keepingCapacity: true)
                state.chunks = 0
            }
            let key = SeriesBucketCacheKey(series: series, width: width)
            var cache = state.caches.removeValue(forKey: key)
            if cache?.generation != generation { cache = nil }
            var updated = cache ?? SeriesBucketCache(generation: generation)
            let before = cache?.entries.count ?? 0
            let after = updated.insert(fresh)
            state.chunks += after - before
            state.caches[key] = updated
        }
    }

    /// Deleted series: SQLite may hand their ids to new series, which must not find their buckets.
    func forget(series: Set<Int64>) {
        guard !series.isEmpty else { return }
        state.withLock { state in
            state.caches = state.caches.filter { !series.contains($0.key.series) }
            state.chunks = state.caches.values.reduce(0) { $0 + $1.entries.count }
        }
    }

    /// Chunks the caches hold now.
    var chunkCount: Int { state.withLock { $0.chunks } }
}
