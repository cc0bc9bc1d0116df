import Foundation
import GRDB

/// Rollups: per-series aggregates over 1-minute and 1-hour buckets, maintained inside each flush's
/// transaction, so a year of 50 Hz data is summarised from ~9,000 hourly rows instead of 1.6 G values.
extension TimeSeriesStore {
    /// 1-minute and 1-hour rollups (µs), for `Options.rollupWidths`.
    public static let standardRollups: [Int64] = [60_000_000, 3_600_000_000]

    static func bucketStart(_ t: Int64, _ width: Int64) -> Int64 {
        let (q, r) = t.quotientAndRemainder(dividingBy: width)
        return (r < 0 ? q - 1 : q) * width
    }

    /// Aggregates of sorted rows per bucket of `width`.
    static func aggregate(_ timestamps: [Int64], _ values: [Double], width: Int64) -> [StoreBucket] {
        var out: [StoreBucket] = []
        for (t, v) in zip(timestamps, values) {
            let b = bucketStart(t, width)
            if out.last?.start != b {
                out.append(StoreBucket(start: b, count: 0, nanCount: 0, sum: 0, minimum: .nan, maximum: .nan, first: v, last: v))
            }
            out[out.count - 1].add(v)
        }
        return out
    }

    /// Updates the rollups of the numeric channels after a flush.
    ///
    /// `appended`: the flushed rows all came after everything stored, so their aggregates are combined into
    /// the existing buckets. Otherwise (late or duplicate rows changed stored values) the touched buckets are
    /// recomputed from the stored rows.
    static func updateRollups(
        _ db: Database, group: Int64, seriesIDs: [Int64], types: [StoreValueType], flushed: StoreRows,
        appended: Bool, widths: [Int64], name: String
    ) throws {
        let numeric = types.indices.filter { types[$0] != .string }
        guard !numeric.isEmpty, flushed.count > 0 else { return }
        for width in widths {
            if appended {
                for i in numeric {
                    for partial in aggregate(flushed.timestamps, flushed.columns[i].doubles, width: width) {
                        let existing = try fetchRollup(db, series: seriesIDs[i], width: width, start: partial.start)
                        try storeRollup(db, series: seriesIDs[i], width: width, existing.map { $0.combined(with: partial) } ?? partial)
                    }
                }
                continue
            }
            try recomputeRollups(
                db, group: group, seriesIDs: seriesIDs, types: types, width: width,
                covering: flushed.timestamps[0]...flushed.timestamps[flushed.count - 1], name: name)
        }
    }

    /// Recomputes, from the stored rows, the rollup buckets of `width` that contain any time in `times`.
    static func recomputeRollups(
        _ db: Database, group: Int64, seriesIDs: [Int64], types: [StoreValueType], width: Int64,
        covering times: ClosedRange<Int64>, name: String
    ) throws {
        let numeric = types.indices.filter { types[$0] != .string }
        let low = bucketStart(times.lowerBound, width)
        let high = bucketStart(times.upperBound, width) + width
        let starts = try Int64.fetchAll(
            db, sql: "SELECT start FROM groupChunk WHERE rowGroup = ? AND start < ? AND end >= ? ORDER BY start",
            arguments: [group, high, low])
        var rows = StoreRows(empty: types)
        for start in starts {
            rows.append(try loadChunk(db, group: group, types: types, start: start, name: name))
        }
        rows = rows.rows(in: low..<high)
        for i in numeric {
            try db.execute(
                sql: "DELETE FROM rollup WHERE series = ? AND width = ? AND start >= ? AND start < ?",
                arguments: [seriesIDs[i], width, low, high])
            for bucket in aggregate(rows.timestamps, rows.columns[i].doubles, width: width) {
                try storeRollup(db, series: seriesIDs[i], width: width, bucket)
            }
        }
    }

    static func fetchRollup(_ db: Database, series: Int64, width: Int64, start: Int64) throws -> StoreBucket? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM rollup WHERE series = ? AND width = ? AND start = ?"),
            arguments: [series, width, start]
        ).map(StoreBucket.init(row:))
    }

    static func storeRollup(_ db: Database, series: Int64, width: Int64, _ b: StoreBucket) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO rollup (series, width, start, count, nanCount, sum, minimum, maximum, first, last)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                series, width, b.start, b.count, b.nanCount, b.sum.storable, b.minimum.storable, b.maximum.storable,
                b.first.storable, b.last.storable,
            ])
    }

    /// Buckets of `width` (a multiple of a rollup width, range aligned to it) from the rollups, or nil when
    /// they cannot answer (unaligned, or unflushed rows in the range).
    func bucketsFromRollups(_ location: SeriesLocation, headCount: Int, in range: Range<Int64>, width: Int64) throws
        -> [StoreBucket]?
    {
        guard headCount == 0,
            let rollup = rollupWidths.last(where: {
                width % $0 == 0 && (range.lowerBound <= .min + 1 || range.lowerBound % $0 == 0)
                    && (range.upperBound == .max || range.upperBound % $0 == 0)
            })
        else { return nil }
        let rows = try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM rollup WHERE series = ? AND width = ? AND start >= ? AND start < ? ORDER BY start",
                arguments: [location.series, rollup, range.lowerBound, range.upperBound])
        }
        var out: [StoreBucket] = []
        for row in rows {
            var b = StoreBucket(row: row)
            let start = Self.bucketStart(b.start, width)
            if out.last?.start == start {
                out[out.count - 1] = out[out.count - 1].combined(with: b)
            } else {
                b = StoreBucket(
                    start: start, count: b.count, nanCount: b.nanCount, sum: b.sum, minimum: b.minimum, maximum: b.maximum,
                    first: b.first, last: b.last)
                out.append(b)
            }
        }
        return out
    }
}

extension StoreBucket {
    mutating func add(_ v: Double) {
        count += 1
        last = v
        if v.isNaN {
            nanCount += 1
        } else {
            sum += v
            minimum = minimum.isNaN ? v : Swift.min(minimum, v)
            maximum = maximum.isNaN ? v : Swift.max(maximum, v)
        }
    }

    init(row: Row) {
        func value(_ column: String) -> Double { (row[column] as Double?) ?? .nan }
        self.init(
            start: row["start"], count: row["count"], nanCount: row["nanCount"], sum: value("sum"), minimum: value("minimum"),
            maximum: value("maximum"), first: value("first"), last: value("last"))
    }
}

extension Double {
    /// SQLite has no NaN (it stores NULL); NULL reads back as NaN.
    var storable: Double? { isNaN ? nil : self }
}
