import Foundation
import GRDB
import Testing

@testable import FurrowStore

@Suite("Store compaction")
struct CompactionTests {
    @Test("runs of small chunks merge into full ones; every value reads back the same, in fewer bytes")
    func mergesSmallChunks() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("compaction-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try StoreDatabase.open(path: directory.appendingPathComponent("s.sqlite").path)
        let store = try TimeSeriesStore(pool: pool, options: .init(chunkRows: 1000, foldLimit: 0))
        let key = StoreGroupKey(project: "p", source: "drone", name: "ATTITUDE")
        let channels = [
            StoreChannel(name: "roll", valueType: .float32), StoreChannel(name: "mode", valueType: .state),
            StoreChannel(name: "lat", valueType: .float64, decimalExponent: 7),
        ]
        var t: Int64 = 1_800_000_000_000_000
        var expected: [Int64] = []
        // 60 flushes of 37 rows: without folding, 60 small chunks.
        for flush in 0..<60 {
            var times: [Int64] = []
            var roll: [Float] = []
            var mode: [Int64] = []
            var lat: [Double] = []
            for i in 0..<37 {
                t += 20_000 + Int64((flush * 37 + i) % 3)
                times.append(t)
                roll.append(Float(sin(Double(t) / 1e6)))
                mode.append(Int64(flush / 10))
                lat.append(Double(416_500_000 + flush * 37 + i) / 1e7)
            }
            expected += times
            try await store.append(key, channels: channels, timestamps: times, columns: [.float32(roll), .state(mode), .float64(lat)])
            try await store.flush()
        }
        let series = StoreSeriesKey(group: key, channel: "roll")
        let before = try await store.readAll(series, in: Int64.min..<Int64.max)
        let chunkCount = { @Sendable (pool: DatabasePool) throws -> (Int, Int) in
            try pool.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM groupChunk")!,
                 try Int.fetchOne(db, sql: "SELECT SUM(length(data)) FROM groupChunk")!)
            }
        }
        let (chunksBefore, bytesBefore) = try chunkCount(pool)
        #expect(chunksBefore == 60)

        let report = try await store.compact(minimumFlushes: 8)
        let (chunksAfter, bytesAfter) = try chunkCount(pool)
        #expect(report.chunksMerged == 60)
        #expect(chunksAfter == 3, "2,220 rows in chunks of up to 1,000")
        #expect(bytesAfter < bytesBefore)
        let after = try await store.readAll(series, in: Int64.min..<Int64.max)
        #expect(after.timestamps == expected)
        #expect(after.timestamps == before.timestamps)
        #expect(after.values.doubles.map(\.bitPattern) == before.values.doubles.map(\.bitPattern))
        for name in ["mode", "lat"] {
            let s = StoreSeriesKey(group: key, channel: name)
            #expect(try await store.readAll(s, in: Int64.min..<Int64.max).values.doubles.count == expected.count)
        }
        print("compaction: \(chunksBefore) chunks, \(bytesBefore) chunk bytes -> \(chunksAfter) chunks, \(bytesAfter) bytes")
        // Nothing left to do until the group is flushed again.
        #expect(try await store.compact(minimumFlushes: 1).groupsExamined == 0)
    }
}
