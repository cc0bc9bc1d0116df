import FurrowStore

/// One append as a daemon's batcher would hand it to the store: some rows of one group, all channels.
struct IngestBatch: Sendable {
    let group: Int
    let key: StoreGroupKey
    let channels: [StoreChannel]
    let timestamps: [Int64]
    let columns: [StoreColumn]
    /// The SQLite-baseline series id of the first channel (the others follow).
    let firstSeries: Int64
    /// For live ingest: the data second this batch belongs to (a flush happens when it changes).
    let window: Int64

    var values: Int { timestamps.count * columns.count }
}

/// The order in which the dataset is written: batches of every group interleaved by time, as they would
/// leave a daemon. Built (and copied out of the dataset) before anything is timed.
struct IngestSchedule: Sendable {
    let batches: [IngestBatch]
    var values: Int { batches.reduce(0) { $0 + $1.values } }

    /// SQLite-baseline series ids: groups in dataset order, channels in order, from 1.
    static func firstSeries(_ dataset: Dataset) -> [Int64] {
        var ids: [Int64] = []
        var next: Int64 = 1
        for group in dataset.groups {
            ids.append(next)
            next += Int64(group.channels.count)
        }
        return ids
    }

    /// Every group cut into batches of 50-500 rows (uniformly random, seeded), ordered by each batch's last
    /// timestamp: a batcher hands a batch over when it is full.
    static func bulk(_ dataset: Dataset, seed: UInt64) -> IngestSchedule {
        var rng = SplitMix64(seed: seed, stream: 0x4241_5443_48)
        let ids = firstSeries(dataset)
        var pieces: [(group: Int, rows: Range<Int>, end: Int64)] = []
        for (g, group) in dataset.groups.enumerated() {
            var start = 0
            while start < group.rows {
                let end = Swift.min(group.rows, start + rng.integer(50...500))
                pieces.append((g, start..<end, group.timestamps[end - 1]))
                start = end
            }
        }
        pieces.sort { $0.end != $1.end ? $0.end < $1.end : $0.group < $1.group }
        return IngestSchedule(
            batches: pieces.map { batch(dataset, ids, group: $0.group, rows: $0.rows, window: 0) })
    }

    /// The drone groups as a live daemon writes them: each group's rows of one wall-clock second in one
    /// batch, seconds in order; the store is flushed whenever the second changes (`flushInterval` = 1 s).
    static func live(_ dataset: Dataset) -> IngestSchedule {
        let ids = firstSeries(dataset)
        var pieces: [(group: Int, rows: Range<Int>, window: Int64)] = []
        for (g, group) in dataset.groups.enumerated() where group.kind == .drone {
            var start = 0
            while start < group.rows {
                let window = group.timestamps[start] / 1_000_000
                var end = start + 1
                while end < group.rows && group.timestamps[end] / 1_000_000 == window { end += 1 }
                pieces.append((g, start..<end, window))
                start = end
            }
        }
        pieces.sort { $0.window != $1.window ? $0.window < $1.window : $0.group < $1.group }
        return IngestSchedule(
            batches: pieces.map { batch(dataset, ids, group: $0.group, rows: $0.rows, window: $0.window) })
    }

    /// Rows `rows` of group `group` as one append.
    static func batch(_ dataset: Dataset, _ ids: [Int64], group g: Int, rows: Range<Int>, window: Int64) -> IngestBatch {
        let group = dataset.groups[g]
        return IngestBatch(
            group: g, key: group.key, channels: group.channels, timestamps: Array(group.timestamps[rows]),
            columns: group.columns.map { $0.slice(rows) }, firstSeries: ids[g], window: window)
    }
}
