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
