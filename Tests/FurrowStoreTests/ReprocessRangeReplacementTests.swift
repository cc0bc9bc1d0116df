import Testing

@testable import FurrowStore

/// `replaceRows(in:of:with:)`, what a reprocess of a time range writes with: on a real SQLite store, rows
/// inside the range are replaced, rows outside are untouched, nothing is doubled, other sources are left alone.
@Suite("Reprocess: range replacement in the store")
struct ReprocessRangeReplacementTests {
    static let voltage = [StoreChannel(name: "voltage", valueType: .float64)]
    static let position = [StoreChannel(name: "lat", valueType: .int64), StoreChannel(name: "alt", valueType: .float64)]

    static func key(_ source: String, _ name: String) -> StoreGroupKey {
        StoreGroupKey(project: "p", source: source, name: name)
    }

    /// 1,000 rows per group, 10 ms apart, in chunks of 64 rows (so the range cuts through chunks).
    static func filled(_ temp: TimeSeriesStoreTests.TemporaryDatabase, rollups: [Int64] = []) async throws -> TimeSeriesStore {
        let store = try TimeSeriesStore(path: temp.path, options: .init(chunkRows: 64, rollupWidths: rollups, foldLimit: 0))
        let times = (0..<1000).map { Int64($0) * 10_000 }
        for source in ["a", "b"] {
            for part in stride(from: 0, to: 1000, by: 100) {
                let t = Array(times[part..<(part + 100)])
                try await store.append(
                    key(source, "SYS"), channels: voltage, timestamps: t, columns: [.float64(t.map { Double($0) / 1e4 })])
                try await store.append(
                    key(source, "POS"), channels: position, timestamps: t,
                    columns: [.int64(t.map { $0 / 100 }), .float64(t.map { Double($0) / 1e5 })])
                try await store.flush()
            }
        }
        return store
    }

    static func values(_ store: TimeSeriesStore, _ source: String, _ group: String, _ channel: String) async throws
        -> (timestamps: [Int64], values: [Double])
    {
        let all = try await store.readAll(
            StoreSeriesKey(group: key(source, group), channel: channel), in: Int64.min..<Int64.max)
        return (all.timestamps, all.values.doubles)
    }

    @Test("a sub-range is replaced, outside untouched, counts kept, the other source left alone")
    func subRange() async throws {
        let temp = try TimeSeriesStoreTests.TemporaryDatabase()
        let store = try await Self.filled(temp, rollups: [1_000_000])
        let range: Range<Int64> = 2_345_000..<6_785_000  // rows 235...678, cutting chunks at both ends
        let inside = (0..<1000).map { Int64($0) * 10_000 }.filter { range.contains($0) }
        // The new version: a changed calibration (×2), and rows outside the range that must be ignored.
        let outsideToo = [Int64(0), 9_990_000]
        let report = try await store.replaceRows(
            in: range, of: [StoreSourceKey(project: "p", source: "a")],
            with: [
                StoreAppend(
                    group: Self.key("a", "SYS"), channels: Self.voltage, timestamps: inside + outsideToo,
                    columns: [.float64((inside + outsideToo).map { 2 * Double($0) / 1e4 })])
            ])
        #expect(report.refused.isEmpty)
        #expect(report.rowsWritten == inside.count)
        // SYS and POS of source a lose their rows in the range; SYS gets them back.
        #expect(report.rowsDeleted == 2 * inside.count)
        let sys = try await Self.values(store, "a", "SYS", "voltage")
        #expect(sys.timestamps == (0..<1000).map { Int64($0) * 10_000 })
        for (t, v) in zip(sys.timestamps, sys.values) {
            #expect(v == (range.contains(t) ? 2 : 1) * Double(t) / 1e4)
        }
        // A group the new version has no rows for in the range: empty there, untouched outside.
        let pos = try await Self.values(store, "a", "POS", "alt")
        #expect(pos.timestamps == (0..<1000).map { Int64($0) * 10_000 }.filter { !range.contains($0) })
        #expect(pos.values == pos.timestamps.map { Double($0) / 1e5 })
        // Source b is not affected.
        let other = try await Self.values(store, "b", "SYS", "voltage")
        #expect(other.values == (0..<1000).map { Double(Int64($0) * 10_000) / 1e4 })
        // Rollups of the touched buckets follow the new rows.
        let buckets = try await store.buckets(
            StoreSeriesKey(group: Self.key("a", "SYS"), channel: "voltage"), in: 0..<10_000_000, width: 1_000_000)
        for bucket in buckets.buckets {
            let rows = zip(sys.timestamps, sys.values).filter { $0.0 / 1_000_000 * 1_000_000 == bucket.start }
            #expect(bucket.count == rows.count)
            #expect(abs(bucket.sum - rows.reduce(0) { $0 + $1.1 }) < 1e-6)
        }
        // Again with the same rows: the same store (no duplicates).
        let again = try await store.replaceRows(
            in: range, of: [StoreSourceKey(project: "p", source: "a")],
            with: [
                StoreAppend(
                    group: Self.key("a", "SYS"), channels: Self.voltage, timestamps: inside,
                    columns: [.float64(inside.map { 2 * Double($0) / 1e4 })])
            ])
        #expect(again.rowsDeleted == inside.count && again.rowsWritten == inside.count)
        #expect(try await Self.values(store, "a", "SYS", "voltage").timestamps == sys.timestamps)
        // Reopened from disk: the same.
        let reopened = try TimeSeriesStore(path: temp.path)
        #expect(try await Self.values(reopened, "a", "SYS", "voltage").values == sys.values)
    }

    @Test("changed channels: refused (and left whole) across the range's ends, recreated when all rows are inside")
    func changedChannels() async throws {
        let temp = try TimeSeriesStoreTests.TemporaryDatabase()
        let store = try await Self.filled(temp)
        let widened = Self.voltage + [StoreChannel(name: "current", valueType: .float64)]
        let range: Range<Int64> = 1_000_000..<2_000_000
        let inside = (100..<200).map { Int64($0) * 10_000 }
        let partial = try await store.replaceRows(
            in: range, of: [StoreSourceKey(project: "p", source: "a")],
            with: [
                StoreAppend(
                    group: Self.key("a", "SYS"), channels: widened, timestamps: inside,
                    columns: [.float64(inside.map { _ in 1 }), .float64(inside.map { _ in 2 })])
            ])
        #expect(partial.refused.count == 1)
        #expect(partial.rowsWritten == 0)
        #expect(try await Self.values(store, "a", "SYS", "voltage").timestamps.count == 1000)
        // POS had no new rows: its range is emptied all the same (the new version has none there).
        #expect(try await Self.values(store, "a", "POS", "alt").timestamps.count == 900)

        let whole = try await store.replaceRows(
            in: Int64.min..<Int64.max, of: [StoreSourceKey(project: "p", source: "a")],
            with: [
                StoreAppend(
                    group: Self.key("a", "SYS"), channels: widened, timestamps: inside,
                    columns: [.float64(inside.map { _ in 1 }), .float64(inside.map { _ in 2 })])
            ])
        #expect(whole.refused.isEmpty)
        #expect(whole.recreatedGroups == [Self.key("a", "SYS")])
        let current = try await Self.values(store, "a", "SYS", "current")
        #expect(current.timestamps == inside && current.values.allSatisfy { $0 == 2 })
        #expect(try await Self.values(store, "a", "SYS", "voltage").timestamps == inside)
        #expect(try await Self.values(store, "b", "SYS", "voltage").timestamps.count == 1000)
        // The store keeps writing to the recreated group with its new channels.
        try await store.append(
            Self.key("a", "SYS"), channels: widened, timestamps: [50_000_000], columns: [.float64([3]), .float64([4])])
        try await store.flush()
        #expect(try await Self.values(store, "a", "SYS", "current").values.last == 4)
    }
}
