import Testing

@testable import FurrowStore

@Suite("Bucket cache")
struct BucketCacheTests {
    static let group = StoreGroupKey(project: "p", source: "s", name: "g")
    static let channels = [StoreChannel(name: "v", valueType: .float64)]
    static let series = StoreSeriesKey(group: group, channel: "v")

    /// Buckets computed straight from a model of what was written (last write wins).
    static func expected(_ model: [Int64: Double], range: Range<Int64>, width: Int64) -> [Int64: (count: Int, sum: Double, last: Double)] {
        var out: [Int64: (count: Int, sum: Double, last: Double)] = [:]
        for t in model.keys.sorted() where range.contains(t) {
            let b = t / width * width
            let v = model[t]!
            let old = out[b] ?? (0, 0, v)
            out[b] = (old.count + 1, old.sum + v, v)
        }
        return out
    }

    func check(_ store: TimeSeriesStore, _ model: [Int64: Double], range: Range<Int64>, width: Int64) async throws {
        let answer = try await store.buckets(Self.series, in: range, width: width)
        let expected = Self.expected(model, range: range, width: width)
        #expect(answer.buckets.map(\.start) == expected.keys.sorted())
        for b in answer.buckets {
            #expect(b.count == expected[b.start]?.count)
            #expect(b.sum == expected[b.start]?.sum)
            #expect(b.last == expected[b.start]?.last)
        }
    }

    @Test("repeated queries are answered from the cache and stay right after rewrites, folds and compaction")
    func staysRight() async throws {
        let temp = try TimeSeriesStoreTests.TemporaryDatabase()
        let store = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 64, foldLimit: 0))
        var model: [Int64: Double] = [:]
        var t: Int64 = 0
        for batch in 0..<40 {
            let times = (0..<50).map { i -> Int64 in t + Int64(i) * 10_000 }
            t += 500_000
            let values = times.map { Double($0 % 977) + Double(batch) }
            for (a, b) in zip(times, values) { model[a] = b }
            try await store.append(Self.group, channels: Self.channels, timestamps: times, columns: [.float64(values)])
            try await store.flush()
        }
        let range: Range<Int64> = 0..<t
        let width: Int64 = 1_000_000
        try await check(store, model, range: range, width: width)
        let first = try await store.buckets(Self.series, in: range, width: width)
        let second = try await store.buckets(Self.series, in: range, width: width)
        #expect(second.buckets == first.buckets)
        #expect(store.bucketCaches.chunkCount > 0)

        // Overwrite one stored row (same timestamp: the chunk keeps its start, end and count).
        let victim: Int64 = 20 * 500_000 + 30_000
        model[victim] = -12_345
        try await store.append(Self.group, channels: Self.channels, timestamps: [victim], columns: [.float64([-12_345])])
        try await store.flush()
        try await check(store, model, range: range, width: width)

        // Late rows inside stored time, then compaction merging the small chunks.
        let late = (0..<30).map { Int64($0) * 500_000 + 5_000 }
        for l in late { model[l] = 0.5 }
        try await store.append(Self.group, channels: Self.channels, timestamps: late, columns: [.float64(late.map { _ in 0.5 })])
        try await store.flush()
        try await check(store, model, range: range, width: width)
        _ = try await store.compact(groupLimit: 10, minimumFlushes: 1)
        try await check(store, model, range: range, width: width)
        // Other widths and ranges that cut chunks are not served stale either.
        try await check(store, model, range: 1_234_567..<17_654_321, width: 300_000)
        try await check(store, model, range: range, width: 7_000_000)
    }

    @Test("a remembered location is confirmed: a series deleted and its ids reused by another writer is not read")
    func staleLocation() async throws {
        let temp = try TimeSeriesStoreTests.TemporaryDatabase()
        let reader = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 64))
        let times = (0..<200).map { Int64($0) * 1_000 }
        try await reader.append(Self.group, channels: Self.channels, timestamps: times, columns: [.float64(times.map { _ in 1 })])
        try await reader.flush()
        let range: Range<Int64> = 0..<1_000_000
        let before = try await reader.buckets(Self.series, in: range, width: 100_000)
        #expect(before.buckets.reduce(0) { $0 + $1.count } == 200)
        let many = try await reader.buckets([Self.series], in: range, width: 100_000)
        #expect(many[0].buckets == before.buckets)

        // Another writer (as another process would) deletes the source; a new project's group and series take
        // the freed ids.
        let other = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 64))
        try await other.deleteSource(project: "p", source: "s")
        let intruder = StoreGroupKey(project: "q", source: "s", name: "g")
        try await other.append(intruder, channels: Self.channels, timestamps: times, columns: [.float64(times.map { _ in 99 })])
        try await other.flush()
        await #expect(throws: StoreError.self) { _ = try await reader.buckets(Self.series, in: range, width: 100_000) }
        await #expect(throws: StoreError.self) { _ = try await reader.buckets([Self.series], in: range, width: 100_000) }

        // Written again under the old key: answered with its new location.
        try await other.append(Self.group, channels: Self.channels, timestamps: times, columns: [.float64(times.map { _ in 2 })])
        try await other.flush()
        let again = try await reader.buckets(Self.series, in: range, width: 100_000)
        #expect(again.buckets.reduce(0) { $0 + $1.count } == 200)
        #expect(again.buckets.allSatisfy { $0.sum == Double($0.count) * 2 })
    }

    @Test("a repeated query sees chunks another writer added or rewrote (listings kept only until a commit)")
    func listingFollowsOtherWriters() async throws {
        let temp = try TimeSeriesStoreTests.TemporaryDatabase()
        let reader = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 64))
        var model: [Int64: Double] = [:]
        let times = (0..<300).map { Int64($0) * 10_000 }
        for t in times { model[t] = Double(t % 7) }
        try await reader.append(Self.group, channels: Self.channels, timestamps: times, columns: [.float64(times.map { model[$0]! })])
        try await reader.flush()
        let range: Range<Int64> = 0..<10_000_000
        for _ in 0..<3 { try await check(reader, model, range: range, width: 500_000) }

        let other = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 64))
        // New chunks after the stored ones, then rows merged into a stored chunk.
        let later = (0..<200).map { 4_000_000 + Int64($0) * 10_000 }
        let inside = (0..<20).map { 55_000 + Int64($0) * 10_000 }
        for t in later { model[t] = 3 }
        try await other.append(Self.group, channels: Self.channels, timestamps: later, columns: [.float64(later.map { _ in 3 })])
        try await other.flush()
        try await check(reader, model, range: range, width: 500_000)
        for t in inside { model[t] = -1 }
        try await other.append(Self.group, channels: Self.channels, timestamps: inside, columns: [.float64(inside.map { _ in -1 })])
        try await other.flush()
        try await check(reader, model, range: range, width: 500_000)
        try await check(reader, model, range: range, width: 500_000)
    }

    @Test("buckets of many series at once equal one query per series (flushed, unflushed and straddling rows)")
    func manySeries() async throws {
        let temp = try TimeSeriesStoreTests.TemporaryDatabase()
        let store = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 64))
        var keys: [StoreSeriesKey] = []
        for node in 0..<5 {
            let group = StoreGroupKey(project: "p", source: "node\(node)", name: "g")
            keys.append(StoreSeriesKey(group: group, channel: "v"))
            let times = (0..<(300 + node * 40)).map { Int64($0) * 7_000 + Int64(node) }
            let values = times.map { Double($0 % 1013) * 0.5 - Double(node) }
            try await store.append(group, channels: Self.channels, timestamps: times, columns: [.float64(values)])
            if node != 2 { try await store.flush() }  // node 2 stays (partly) in memory
        }
        for (range, width) in [(Int64.min..<Int64.max, Int64(100_000)), (123_456..<1_500_001, 250_000), (0..<1, 5)] {
            let together = try await store.buckets(keys, in: range, width: width)
            #expect(together.count == keys.count)
            for (key, answer) in zip(keys, together) {
                let alone = try await store.buckets(key, in: range, width: width)
                #expect(answer.buckets == alone.buckets)
                #expect(answer.skipped.isEmpty && !answer.fromRollups)
            }
        }
        await #expect(throws: StoreError.self) {
            _ = try await store.buckets(keys + [StoreSeriesKey(group: Self.group, channel: "nope")], in: 0..<1, width: 1)
        }
    }
}
