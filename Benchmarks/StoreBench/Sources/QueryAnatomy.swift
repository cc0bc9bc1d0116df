import Foundation
import FurrowStore
import GRDB

/// What a query costs below the store's query code: the chunk BLOBs it has to touch, decoded straight from
/// memory (checksums verified) and folded into buckets or a raw-read hash in flat arrays. The store's query
/// time minus this is what its query path (SQLite round trips, copies, per-value bookkeeping) adds.
struct QueryAnatomy: Sendable, Codable {
    var query: String
    var chunks: Int
    var blobBytes: Int
    var decodeMs: Double
    var decodeAndFoldMs: Double

    static func run(_ target: Queries.Target, path: String, runs: Int) throws -> QueryAnatomy {
        let queue = try DatabaseQueue(path: path)
        // (time chunk, value chunk) pairs overlapping the range, per series.
        let blobs: [[(time: [UInt8], value: [UInt8])]] = try queue.read { db in
            try target.keys.map { key in
                guard
                    let found = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT g.id AS grp, s.position FROM rowGroup g JOIN series s ON s.rowGroup = g.id
                            WHERE g.project = ? AND g.source = ? AND g.name = ? AND g.tags = ? AND s.channel = ?
                            """,
                        arguments: [
                            key.group.project, key.group.source, key.group.name, key.group.canonicalTags, key.channel,
                        ])
                else { throw BenchFailure("\(key) is not in the store") }
                let position: Int = found["position"]
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT data FROM groupChunk WHERE rowGroup = ? AND start < ? AND end >= ? ORDER BY start
                        """,
                    arguments: [found["grp"], target.range.upperBound, target.range.lowerBound]
                ).map { row -> (time: [UInt8], value: [UInt8]) in
                    // The time chunk and this series' value chunk of the row-group chunk.
                    let blob = [UInt8](row["data"] as Data)
                    let ranges = try blob.withUnsafeBytes { try StoreRowGroup.chunkRanges($0) }
                    return (Array(blob[ranges[0]]), Array(blob[ranges[position + 1]]))
                }
            }
        }
        let chunks = blobs.reduce(0) { $0 + $1.count }
        let bytes = blobs.reduce(0) { $0 + $1.reduce(0) { $0 + $1.time.count + $1.value.count } }

        func decode(fold: Bool) throws -> Double {
            let start = ContinuousClock.now
            var sink = 0.0
            for series in blobs {
                var counts: [Int] = []
                var sums: [Double] = []
                var base: Int64 = 0
                if let width = target.spec.width {
                    base = target.range.lowerBound / width * width
                    let n = Int((target.range.upperBound - base) / width) + 1
                    counts = [Int](repeating: 0, count: n)
                    sums = [Double](repeating: 0, count: n)
                }
                var raw = RawAnswer()
                for pair in series {
                    guard case .timestamp(let t) = try StoreChunk.decode(pair.time).values else {
                        throw BenchFailure("time chunk of another type")
                    }
                    let values = try StoreChunk.decode(pair.value).values
                    guard fold else {
                        sink += Double(t.count + values.count)
                        continue
                    }
                    let lower = t.partitionPoint { $0 >= target.range.lowerBound }
                    let upper = t.partitionPoint { $0 >= target.range.upperBound }
                    guard case .float64(let v) = values.asFloat64 else { continue }
                    if let width = target.spec.width {
                        for i in lower..<upper {
                            let b = Int((t[i] - base) / width)
                            counts[b] &+= 1
                            sums[b] += v[i]
                        }
                    } else {
                        for i in lower..<upper { raw.add(t[i], v[i]) }
                    }
                }
                sink += sums.reduce(0, +) + Double(raw.count)
            }
            blackHole(sink)
            return (ContinuousClock.now - start).seconds * 1000
        }
        var decodeRuns: [Double] = []
        var foldRuns: [Double] = []
        for _ in 0..<(runs + 1) {
            decodeRuns.append(try decode(fold: false))
            foldRuns.append(try decode(fold: true))
        }
        return QueryAnatomy(
            query: target.spec.name, chunks: chunks, blobBytes: bytes,
            decodeMs: QueryTimings(runsMs: Array(decodeRuns.dropFirst())).medianMs,
            decodeAndFoldMs: QueryTimings(runsMs: Array(foldRuns.dropFirst())).medianMs)
    }
}

/// Keeps a result alive so the optimizer cannot drop the work that produced it.
@inline(never)
func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

extension StoreColumn {
    /// The values as a float64 column (what the queries fold).
    var asFloat64: StoreColumn {
        if case .float64 = self { return self }
        return .float64(doubles)
    }
}

extension Array {
    /// The first index whose element satisfies `belongs` (false then true along the array).
    func partitionPoint(_ belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
