import Foundation
import GRDB
import Testing

@testable import FurrowStore

/// The raw archive on real SQLite files (a `DatabasePool` in WAL mode in a temporary directory, removed
/// after each test): byte-exact round trips with receive times, time ranges at segment boundaries,
/// sealing, retention, project isolation, damaged segments, and compression of real MAVLink telemetry.
///
/// Serialized so the printed throughput figures are not shared with other archive tests.
@Suite("RawArchive", .serialized)
struct RawArchiveTests {
    /// One receive as the test sent it.
    struct Sent: Equatable, CustomStringConvertible {
        var time: Int64
        var bytes: [UInt8]
        var description: String { "\(time): \(bytes.count) B" }
    }

    static let t0: Int64 = 1_754_000_000_000_000  // 2025-07-31, µs

    // MARK: - Fixture

    /// Runs `body` with an archive on a fresh database file, then closes and deletes it.
    static func withArchive<T>(
        _ configuration: RawArchiveConfiguration = .init(),
        _ body: (RawArchive, DatabasePool) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("furrow-raw-archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var databaseConfiguration = Configuration()
        databaseConfiguration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let pool = try DatabasePool(
            path: directory.appendingPathComponent("store.sqlite").path, configuration: databaseConfiguration)
        var migrator = DatabaseMigrator()
        RawArchive.registerMigrations(&migrator)
        try migrator.migrate(pool)
        let archive = RawArchive(database: pool, configuration: configuration)
        let result = try await body(archive, pool)
        try pool.close()
        return result
    }

    static func collect(_ records: RawArchiveRecords) async throws -> [Sent] {
        var out: [Sent] = []
        for try await record in records { out.append(Sent(time: record.receivedAt, bytes: Array(record.bytes))) }
        return out
    }

    static func append(_ archive: RawArchive, _ project: String, _ source: String, _ sent: [Sent]) async throws {
        for record in sent {
            try await archive.append(project: project, source: source, receivedAt: record.time, bytes: record.bytes)
        }
    }

    /// Records of random sizes in 0...maxSize: random bytes, or (`compressible`) short repeating text.
    static func makeRecords(
        count: Int, maxSize: Int = 4096, start: Int64 = t0, compressible: Bool, rng: inout SplitMix64
    ) -> [Sent] {
        var time = start
        return (0..<count).map { i in
            time += Int64.random(in: 0...50_000, using: &rng)  // equal times happen
            let size = Int.random(in: 0...maxSize, using: &rng)
            let bytes: [UInt8] =
                compressible
                ? Array("GPS_RAW_INT \(i) lat=-35.36 lon=149.16 alt=584 ".utf8.prefix(size)).padded(to: size)
                : (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
            return Sent(time: time, bytes: bytes)
        }
    }

    /// Replaces one segment's BLOB through SQL.
    static func setBlob(_ pool: DatabasePool, _ segment: RawArchiveSegment, _ data: [UInt8]) async throws {
        try await pool.write { db in
            try db.execute(
                sql:
                    "UPDATE rawSegment SET data = ? WHERE project = ? AND source = ? AND startTime = ? AND ordinal = ?",
                arguments: [Data(data), segment.project, segment.source, segment.startTime, segment.ordinal])
        }
    }

    static func blob(_ pool: DatabasePool, _ segment: RawArchiveSegment) async throws -> [UInt8] {
        try await pool.read { db in
            let data = try Data.fetchOne(
                db,
                sql: "SELECT data FROM rawSegment WHERE project = ? AND source = ? AND startTime = ? AND ordinal = ?",
                arguments: [segment.project, segment.source, segment.startTime, segment.ordinal])
            return [UInt8](data ?? Data())
        }
    }

    // MARK: - Round trips

    @Test("many records of 0-4 KiB across sources and segments come back byte-exact with their times")
    func roundTrip() async throws {
        var rng = SplitMix64(seed: 0xA7C4)
        let sources = [
            ("udp:14550", Self.makeRecords(count: 700, compressible: false, rng: &rng)),
            ("serial:/dev/ttyUSB0", Self.makeRecords(count: 700, compressible: true, rng: &rng)),
            ("upload:flight-7", Self.makeRecords(count: 300, maxSize: 64, compressible: true, rng: &rng)),
        ]
        try await Self.withArchive(.init(segmentSize: 32 << 10)) { archive, _ in
            // Interleaved, as concurrent transports would deliver them.
            for i in 0..<700 {
                for (source, records) in sources where i < records.count {
                    try await archive.append(
                        project: "p", source: source, receivedAt: records[i].time, bytes: records[i].bytes)
                }
            }
            try await archive.flush()
            var codecs: Set<UInt8> = []
            for (source, records) in sources {
                let back = try await Self.collect(archive.reader.records(project: "p", source: source))
                #expect(back == records, "\(source)")
                let segments = try await archive.reader.segments(project: "p", source: source)
                codecs.formUnion(segments.map(\.codec))
                #expect(segments.reduce(0) { $0 + $1.recordCount } == records.count)
                #expect(segments.reduce(0) { $0 + $1.byteCount } == records.reduce(0) { $0 + $1.bytes.count })
                if source != "upload:flight-7" { #expect(segments.count > 10, "\(source): \(segments.count) segments") }
            }
            // Random bytes are stored as they are, text is deflated.
            #expect(codecs == [RawSegmentCodec.stored.rawValue, RawSegmentCodec.deflate.rawValue])
            let counters = await archive.counters
            #expect(counters.appendedRecords == 1700 && counters.openSegments == 0 && counters.pendingSegments == 0)
            #expect(counters.storedBytes == counters.appendedBytes)
        }
    }

    @Test("a clock stepping back starts a new segment; two segments starting at the same µs are both kept")
    func clockStepsAndEqualStarts() async throws {
        try await Self.withArchive { archive, _ in
            let sent = [
                Sent(time: Self.t0 + 5000, bytes: [1]), Sent(time: Self.t0 + 6000, bytes: [2]),
                Sent(time: Self.t0 + 3000, bytes: [3]), Sent(time: Self.t0 + 4000, bytes: []),
            ]
            try await Self.append(archive, "p", "s", sent)
            try await archive.flush()
            // A re-upload: the same first receive time again.
            try await Self.append(archive, "p", "s", [Sent(time: Self.t0 + 3000, bytes: [9, 9])])
            try await archive.flush()
            let segments = try await archive.reader.segments(project: "p", source: "s")
            #expect(segments.map(\.startTime) == [Self.t0 + 3000, Self.t0 + 3000, Self.t0 + 5000])
            #expect(segments.map(\.ordinal) == [0, 1, 0])
            let back = try await Self.collect(archive.reader.records(project: "p", source: "s"))
            #expect(back == [sent[2], sent[3], Sent(time: Self.t0 + 3000, bytes: [9, 9]), sent[0], sent[1]])
        }
    }

    @Test("receive times at the Int64 extremes round-trip")
    func extremeTimes() async throws {
        try await Self.withArchive { archive, _ in
            let sent = [Sent(time: .min, bytes: [1]), Sent(time: .max, bytes: [2]), Sent(time: 0, bytes: [3])]
            try await Self.append(archive, "p", "s", sent)
            try await archive.flush()
            let back = try await Self.collect(archive.reader.records(project: "p", source: "s"))
            #expect(back == [sent[0], sent[2]])  // `to` is exclusive: Int64.max is past every range
            let last = try await Self.collect(archive.reader.records(project: "p", source: "s", from: 0))
            #expect(last == [sent[2]])
        }
    }

    // MARK: - Time ranges

    @Test("time-range queries at, just inside and just outside every segment boundary")
    func timeRanges() async throws {
        var rng = SplitMix64(seed: 77)
        var time = Self.t0
        let sent = (0..<2000).map { i -> Sent in
            time += i % 7 == 0 ? 0 : 1000  // some equal times, also across segment boundaries
            return Sent(
                time: time, bytes: (0..<Int.random(in: 0...40, using: &rng)).map { UInt8(truncatingIfNeeded: $0 + i) })
        }
        try await Self.withArchive(.init(segmentSize: 2048)) { archive, _ in
            try await Self.append(archive, "p", "s", sent)
            try await archive.flush()
            let segments = try await archive.reader.segments(project: "p", source: "s")
            #expect(segments.count > 20)
            var ranges: [(Int64, Int64)] = [(.min, .max), (0, Self.t0), (time + 1, .max), (Self.t0, Self.t0 + 1)]
            for (i, segment) in segments.enumerated() {
                let next = i + 1 < segments.count ? segments[i + 1].startTime : time + 1
                ranges += [
                    (segment.startTime, segment.startTime), (segment.startTime, segment.startTime + 1),
                    (segment.startTime, segment.endTime), (segment.startTime, segment.endTime + 1),
                    (segment.startTime + 1, segment.endTime), (segment.endTime, segment.endTime + 1),
                    (segment.endTime, next), (segment.endTime + 1, next + 1), (segment.startTime - 1, next),
                ]
            }
            for _ in 0..<100 {
                let a = Int64.random(in: Self.t0 - 10_000...time + 10_000, using: &rng)
                ranges.append((a, a + Int64.random(in: 0...200_000, using: &rng)))
            }
            for (from, to) in ranges {
                let back = try await Self.collect(archive.reader.records(project: "p", source: "s", from: from, to: to))
                let expected = sent.filter { $0.time >= from && $0.time < to }
                #expect(back == expected, "range \(from)..<\(to)")
                // The listing names exactly the segments that hold records of the range (or straddle it).
                let listed = try await archive.reader.segments(project: "p", source: "s", from: from, to: to)
                #expect(
                    listed == segments.filter { $0.endTime >= from && $0.startTime < to }, "segments \(from)..<\(to)")
            }
        }
    }

    // MARK: - Sealing

    @Test("a segment is sealed as soon as it holds segmentSize bytes, without a flush")
    func sealsBySize() async throws {
        try await Self.withArchive(.init(segmentSize: 1000)) { archive, _ in
            for i in 0..<95 {
                try await archive.append(
                    project: "p", source: "s", receivedAt: Self.t0 + Int64(i) * 100,
                    bytes: [UInt8](repeating: UInt8(i), count: 100))
            }
            let segments = try await archive.reader.segments(project: "p", source: "s")
            #expect(segments.count == 9)  // 10 records of 103 B fill 1000 B (the first one's absolute time adds 6 B)
            for segment in segments {
                #expect(segment.rawSize >= 1000 && segment.rawSize < 1000 + 110, "\(segment.rawSize)")
                #expect(segment.recordCount == 10)
            }
            #expect(await archive.counters.openSegments == 1)
            #expect(await archive.counters.openBytes == 500)
            try await archive.flush()
            #expect(try await archive.reader.segments(project: "p", source: "s").count == 10)
        }
    }

    @Test("a segment is sealed at the next append once its first record is older than the age, or by sealExpired")
    func sealsByAge() async throws {
        try await Self.withArchive(.init(maximumSegmentAge: .seconds(1))) { archive, _ in
            let second: Int64 = 1_000_000
            try await archive.append(project: "p", source: "s", receivedAt: Self.t0, bytes: [1])
            try await archive.append(project: "p", source: "s", receivedAt: Self.t0 + second / 2, bytes: [2])
            try await archive.append(project: "p", source: "other", receivedAt: Self.t0, bytes: [7])
            #expect(try await archive.reader.segments(project: "p", source: "s").isEmpty)
            // One second after the first record: that segment is sealed before this record is added.
            try await archive.append(project: "p", source: "s", receivedAt: Self.t0 + second, bytes: [3])
            var segments = try await archive.reader.segments(project: "p", source: "s")
            #expect(segments.map(\.recordCount) == [2])
            #expect(segments.first.map { $0.startTime...$0.endTime } == Self.t0...Self.t0 + second / 2)
            // An append to one source does not seal another.
            #expect(try await archive.reader.segments(project: "p", source: "other").isEmpty)

            try await archive.sealExpired(now: Self.t0 + second * 3 / 2)  // "s" is 0.5 s old, "other" 1.5 s
            #expect(try await archive.reader.segments(project: "p", source: "s").count == 1)
            #expect(try await archive.reader.segments(project: "p", source: "other").count == 1)
            try await archive.sealExpired(now: Self.t0 + 2 * second)
            segments = try await archive.reader.segments(project: "p", source: "s")
            #expect(segments.map(\.recordCount) == [2, 1])
            #expect(await archive.counters.openSegments == 0)
        }
    }

    @Test("many sources together never hold more than maximumOpenBytes open: the largest are sealed early")
    func capsOpenBytes() async throws {
        try await Self.withArchive(.init(maximumOpenBytes: 20_000)) { archive, _ in
            var sent: [Int: [Sent]] = [:]
            for round in 0..<10 {
                for source in 0..<40 {
                    let record = Sent(
                        time: Self.t0 + Int64(round), bytes: [UInt8](repeating: UInt8(source), count: 10 * (source + 1))
                    )
                    sent[source, default: []].append(record)
                    try await Self.append(archive, "p", "s\(source)", [record])
                    #expect(await archive.openRawBytes <= 20_000)
                }
            }
            let counters = await archive.counters
            #expect(counters.storedSegments > 0 && counters.openSegments > 0)
            try await archive.flush()
            for source in 0..<40 {
                #expect(
                    try await Self.collect(archive.reader.records(project: "p", source: "s\(source)")) == sent[source])
            }
            // The busiest sources were sealed first.
            let sources = try await archive.reader.sources(project: "p")
            #expect(sources.last?.segmentCount ?? 0 > sources.first?.segmentCount ?? 0)
        }
    }

    @Test("flush seals every open segment; reads see only sealed segments")
    func flush() async throws {
        try await Self.withArchive { archive, _ in
            for source in ["a", "b", "c"] {
                try await archive.append(project: "p", source: source, receivedAt: Self.t0, bytes: Array(source.utf8))
            }
            #expect(try await Self.collect(archive.reader.records(project: "p", source: "a")).isEmpty)
            #expect(await archive.counters.openSegments == 3)
            try await archive.flush()
            #expect(await archive.counters.openSegments == 0)
            for source in ["a", "b", "c"] {
                let back = try await Self.collect(archive.reader.records(project: "p", source: source))
                #expect(back == [Sent(time: Self.t0, bytes: Array(source.utf8))])
            }
            try await archive.flush()  // nothing open: a no-op
            #expect(try await archive.reader.sources(project: "p").map(\.segmentCount) == [1, 1, 1])
        }
    }

    @Test("a failed segment write surfaces to the appender, and the segment is written by the next flush")
    func failedWritesAreRetried() async throws {
        try await Self.withArchive(.init(segmentSize: 100, maximumPendingBytes: 1000)) { archive, pool in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        CREATE TRIGGER full BEFORE INSERT ON rawSegment
                        BEGIN SELECT RAISE(FAIL, 'disk full (simulated)'); END
                        """)
            }
            let first = Sent(time: Self.t0, bytes: [UInt8](repeating: 1, count: 150))
            await #expect(throws: DatabaseError.self) { try await Self.append(archive, "p", "s", [first]) }
            #expect(await archive.counters.pendingSegments == 1)
            await #expect(throws: DatabaseError.self) { try await archive.flush() }

            // Beyond maximumPendingBytes the oldest are dropped and counted.
            var rng = SplitMix64(seed: 3)
            for i in 1...20 {
                let noise = (0..<150).map { _ in UInt8.random(in: 0...255, using: &rng) }
                await #expect(throws: DatabaseError.self) {
                    try await Self.append(archive, "p", "s", [Sent(time: Self.t0 + Int64(i), bytes: noise)])
                }
            }
            let counters = await archive.counters
            #expect(counters.droppedSegments > 0 && counters.pendingSegments > 0)
            #expect(counters.droppedSegments + counters.pendingSegments == 21)

            try await pool.write { db in try db.execute(sql: "DROP TRIGGER full") }
            try await archive.flush()
            #expect(await archive.counters.pendingSegments == 0)
            let back = try await Self.collect(archive.reader.records(project: "p", source: "s"))
            #expect(back.count == counters.pendingSegments)
            #expect(back.map(\.time) == (21 - counters.pendingSegments..<21).map { Self.t0 + Int64($0) })
        }
    }

    @Test("concurrent appenders to many sources lose nothing")
    func concurrentAppenders() async throws {
        try await Self.withArchive(.init(segmentSize: 8 << 10)) { archive, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        var rng = SplitMix64(seed: UInt64(task))
                        let sent = Self.makeRecords(count: 300, maxSize: 300, compressible: task % 2 == 0, rng: &rng)
                        try await Self.append(archive, "p", "src-\(task)", sent)
                    }
                }
                try await group.waitForAll()
            }
            try await archive.flush()
            for task in 0..<8 {
                var rng = SplitMix64(seed: UInt64(task))
                let sent = Self.makeRecords(count: 300, maxSize: 300, compressible: task % 2 == 0, rng: &rng)
                #expect(try await Self.collect(archive.reader.records(project: "p", source: "src-\(task)")) == sent)
            }
        }
    }

    // MARK: - Retention and isolation

    @Test("retention deletes whole segments older than the cutoff and says what went")
    func retention() async throws {
        var rng = SplitMix64(seed: 5)
        let sent = Self.makeRecords(count: 1000, maxSize: 200, compressible: true, rng: &rng)
        try await Self.withArchive(.init(segmentSize: 4096)) { archive, _ in
            try await Self.append(archive, "p", "s", sent)
            try await Self.append(archive, "q", "s", sent)
            try await archive.flush()
            let before = try await archive.reader.segments(project: "p", source: "s")
            let cutoff = sent[sent.count / 2].time
            let gone = before.filter { $0.endTime < cutoff }
            #expect(!gone.isEmpty && gone.count < before.count)

            let preview = try await archive.expiredSegments(project: "p", olderThan: cutoff)
            #expect(try await archive.reader.segments(project: "p", source: "s") == before)  // a dry run deletes nothing
            let deletion = try await archive.deleteSegments(project: "p", olderThan: cutoff)
            #expect(preview == deletion)
            #expect(deletion.segmentCount == gone.count)
            #expect(deletion.recordCount == gone.reduce(0) { $0 + $1.recordCount })
            #expect(deletion.byteCount == gone.reduce(0) { $0 + $1.byteCount })
            #expect(deletion.storedSize == gone.reduce(0) { $0 + $1.storedSize })

            // What is left starts with the segment that straddles the cutoff.
            let kept = before.filter { $0.endTime >= cutoff }
            let back = try await Self.collect(archive.reader.records(project: "p", source: "s"))
            #expect(back == sent.filter { $0.time >= kept[0].startTime })
            #expect(back.first?.time ?? .max <= cutoff)
            // Another project's segments are not touched; a second pass removes nothing.
            #expect(try await Self.collect(archive.reader.records(project: "q", source: "s")) == sent)
            #expect(try await archive.deleteSegments(project: "p", olderThan: cutoff).segmentCount == 0)
        }
    }

    @Test("a project never sees another project's records, sources or statistics")
    func projectIsolation() async throws {
        try await Self.withArchive { archive, _ in
            let a = [Sent(time: Self.t0, bytes: Array("A".utf8)), Sent(time: Self.t0 + 1, bytes: [0xA])]
            let b = [Sent(time: Self.t0, bytes: Array("B".utf8))]
            try await Self.append(archive, "farm-a", "udp:14550", a)
            try await Self.append(archive, "farm-a", "serial:/dev/ttyUSB0", a)
            try await Self.append(archive, "farm-b", "udp:14550", b)
            try await Self.append(archive, "farm", "udp:14550", b)  // a prefix of the others
            try await archive.flush()

            #expect(try await Self.collect(archive.reader.records(project: "farm-a", source: "udp:14550")) == a)
            #expect(try await Self.collect(archive.reader.records(project: "farm-b", source: "udp:14550")) == b)
            #expect(
                try await Self.collect(archive.reader.records(project: "farm-b", source: "serial:/dev/ttyUSB0")).isEmpty
            )
            #expect(
                try await archive.reader.sources(project: "farm-a").map(\.source) == [
                    "serial:/dev/ttyUSB0", "udp:14550",
                ])
            #expect(try await archive.reader.sources(project: "farm-b").map(\.source) == ["udp:14550"])
            let statistics = try await archive.reader.statistics(project: "farm-b")
            #expect(statistics.recordCount == 1 && statistics.byteCount == 1)
            let summary = try #require(try await archive.reader.sources(project: "farm-a").last)
            #expect(summary.firstReceivedAt == Self.t0 && summary.lastReceivedAt == Self.t0 + 1)
            #expect(summary.recordCount == 2 && summary.byteCount == 2)

            #expect(try await archive.deleteSegments(project: "farm-b", olderThan: .max).segmentCount == 1)
            #expect(try await Self.collect(archive.reader.records(project: "farm-a", source: "udp:14550")) == a)
            #expect(try await Self.collect(archive.reader.records(project: "farm", source: "udp:14550")) == b)
        }
    }

    // MARK: - Damaged segments

    /// Archives text records in small deflated segments, damages segment 3 with `damage`, and checks that
    /// reading reports exactly that segment (code and range) and returns every other record.
    func checkDamage(
        codes: Set<RawArchiveError.Code>, _ damage: (DatabasePool, RawArchiveSegment) async throws -> Void
    ) async throws {
        var rng = SplitMix64(seed: 31)
        let sent = Self.makeRecords(count: 400, maxSize: 100, compressible: true, rng: &rng)
        try await Self.withArchive(.init(segmentSize: 2048)) { archive, pool in
            try await Self.append(archive, "p", "s", sent)
            try await archive.flush()
            let segments = try await archive.reader.segments(project: "p", source: "s")
            try #require(segments.count > 6)
            let victim = segments[3]
            #expect(victim.codec == RawSegmentCodec.deflate.rawValue)
            try await damage(pool, victim)
            let damaged = try await archive.reader.segments(project: "p", source: "s")[3]

            // Skip and report: one error naming the segment, every other record intact.
            let reported = Reported()
            let back = try await Self.collect(
                archive.reader.records(project: "p", source: "s", corruptSegments: .skip { reported.add($0) }))
            let errors = reported.errors
            #expect(errors.count == 1)
            let error = try #require(errors.first)
            #expect(codes.contains(error.code), "\(error)")
            #expect(error.project == "p" && error.source == "s")
            #expect(
                error.timeRange == min(damaged.startTime, damaged.endTime)...max(damaged.startTime, damaged.endTime))
            #expect(error.description.contains("p/s"))
            let lost = sent.filter { $0.time >= victim.startTime && $0.time <= victim.endTime }
            #expect(back == sent.filter { !lost.contains($0) })
            #expect(lost.count == victim.recordCount)

            // Throw: the records before it, then the error; nothing after.
            var before: [Sent] = []
            do {
                for try await record in archive.reader.records(project: "p", source: "s") {
                    before.append(Sent(time: record.receivedAt, bytes: Array(record.bytes)))
                }
                Issue.record("reading a damaged segment did not throw")
            } catch let thrown as RawArchiveError {
                #expect(thrown == error)
            }
            #expect(before == sent.filter { $0.time < victim.startTime })
            // A range that avoids the damaged segment reads clean.
            let after = try await Self.collect(
                archive.reader.records(project: "p", source: "s", from: segments[5].startTime))
            #expect(after == sent.filter { $0.time >= segments[5].startTime })
        }
    }

    /// Errors a skip callback was handed.
    final class Reported: @unchecked Sendable {
        // @unchecked: every access holds `lock`.
        private let lock = NSLock()
        private var list: [RawArchiveError] = []
        func add(_ error: RawArchiveError) {
            lock.lock()
            defer { lock.unlock() }
            list.append(error)
        }
        var errors: [RawArchiveError] {
            lock.lock()
            defer { lock.unlock() }
            return list
        }
    }

    @Test("a flipped byte in a BLOB is reported with its segment's range and skipped", arguments: [0, 1, 7, -1])
    func flippedByte(position: Int) async throws {
        try await checkDamage(codes: [.checksumMismatch, .inflateFailed, .sizeMismatch]) { pool, segment in
            var data = try await Self.blob(pool, segment)
            let index = position >= 0 ? position : data.count / 2
            data[index] ^= 0x10
            try await Self.setBlob(pool, segment, data)
        }
    }

    @Test(
        "a row that contradicts its BLOB is reported with its range and skipped",
        arguments: [
            ("rawSize = rawSize + 1", RawArchiveError.Code.sizeMismatch),
            ("rawSize = rawSize - 1", .sizeMismatch),
            ("rawSize = 1 << 40", .invalidDescription),
            ("rawSize = -5", .invalidDescription),
            ("storedSize = storedSize + 1", .sizeMismatch),
            ("recordCount = recordCount + 1", .corruptRecords),
            ("recordCount = 1 << 40", .invalidDescription),
            ("byteCount = byteCount - 1", .corruptRecords),
            ("endTime = endTime + 1", .corruptRecords),
            ("endTime = startTime - 1", .invalidDescription),
            ("startTime = startTime - 1", .corruptRecords),
            ("crc32 = (crc32 | 1) - (crc32 & 1)", .checksumMismatch),
            ("crc32 = -1", .invalidDescription),
            ("codec = 256", .invalidDescription),
            ("codec = 7", .unsupportedCodec),
            ("codec = 0", .sizeMismatch),
            ("data = x''", .sizeMismatch),
            ("data = substr(data, 1, length(data) - 3), storedSize = storedSize - 3", .inflateFailed),
            ("data = CAST(data || x'00' AS BLOB), storedSize = storedSize + 1", .inflateFailed),
        ])
    func badDescription(assignment: String, code: RawArchiveError.Code) async throws {
        try await checkDamage(codes: [code]) { pool, segment in
            try await pool.write { db in
                try db.execute(
                    sql: "UPDATE rawSegment SET \(assignment) WHERE project = ? AND source = ? AND startTime = ?",
                    arguments: [segment.project, segment.source, segment.startTime])
            }
        }
    }

    @Test(
        "records that pass the CRC but do not parse are reported (bad varint, record past the end, wrong time)",
        arguments: [
            [UInt8](repeating: 0xFF, count: 11),  // a varint longer than 64 bits
            [0x80, 0x80],  // a varint that runs past the end
            [0x00, 0x64, 1, 2, 3],  // 100 bytes announced, 3 there
            [0x02, 0x01, 0xAA],  // a receive time (1 µs after 1970) outside the row's range
        ])
    func unparsableRecords(payload: [UInt8]) async throws {
        try await checkDamage(codes: [.corruptRecords]) { pool, segment in
            // A stored-codec segment of one record with a valid CRC over bytes that are not records.
            try await pool.write { db in
                try db.execute(
                    sql: """
                        UPDATE rawSegment SET codec = 0, data = ?, rawSize = ?, storedSize = ?, crc32 = ?,
                            recordCount = 1, byteCount = 0
                        WHERE project = ? AND source = ? AND startTime = ?
                        """,
                    arguments: [
                        Data(payload), payload.count, payload.count, Int64(CRC32.checksum(payload)),
                        segment.project, segment.source, segment.startTime,
                    ])
            }
        }
    }

    // MARK: - Real telemetry

    /// The ArduPilot VTOL .tlog (MAVLink 1, 957 KB) from SampleData.
    static func tlog() throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleData/ardupilot-vtol.tlog")
        return [UInt8](try Data(contentsOf: url))
    }

    /// Cuts `bytes` into receives of 1...300 bytes, as a serial or UDP transport delivers them.
    static func receives(_ count: Int, rng: inout SplitMix64) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        while start < count {
            let end = min(count, start + Int.random(in: 1...300, using: &rng))
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    @Test("compression ratio and append throughput on MAVLink telemetry (ardupilot-vtol.tlog, 1-300 B receives)")
    func mavlinkCompression() async throws {
        let tlog = try Self.tlog()
        var rng = SplitMix64(seed: 2018)
        let receives = Self.receives(tlog.count, rng: &rng)
        for level in [1, 6] {
            try await Self.withArchive(.init(compressionLevel: level)) { archive, _ in
                let clock = ContinuousClock()
                let start = clock.now
                var time = Self.t0
                for range in receives {
                    time += Int64(range.count) * 174  // 57,600 baud: ~174 µs per byte
                    try await archive.append(project: "p", source: "radio", receivedAt: time, bytes: tlog[range])
                }
                try await archive.flush()
                let elapsed = clock.now - start
                let statistics = try await archive.reader.statistics(project: "p")
                print(
                    "raw archive, level \(level): \(tlog.count) B in \(receives.count) receives -> "
                        + "\(statistics.storedSize) B stored, "
                        + "ratio \(String(format: "%.2f", statistics.compressionRatio)), "
                        + "append+flush \(String(format: "%.0f", Self.megabytesPerSecond(tlog.count, elapsed))) MB/s")
                #expect(statistics.byteCount == tlog.count)
                #expect(statistics.compressionRatio > 1.6)

                // Byte-exact: the concatenated records are the file.
                var back: [UInt8] = []
                back.reserveCapacity(tlog.count)
                var count = 0
                for try await record in archive.reader.records(project: "p", source: "radio") {
                    back.append(contentsOf: record.bytes)
                    count += 1
                }
                #expect(back == tlog && count == receives.count)
            }
        }
    }

    @Test("append throughput: 4 concurrent sources of MAVLink receives (printed; the goal is >= 100 MB/s in release)")
    func appendThroughput() async throws {
        let tlog = try Self.tlog()
        var rng = SplitMix64(seed: 7)
        let receives = Self.receives(tlog.count, rng: &rng)
        let passes = 6  // 4 sources x 6 x 957 KB = 23 MB
        try await Self.withArchive { archive, _ in
            let clock = ContinuousClock()
            let start = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for source in 0..<4 {
                    group.addTask {
                        var time = Self.t0
                        for _ in 0..<passes {
                            for range in receives {
                                time += 1000
                                try await archive.append(
                                    project: "p", source: "radio-\(source)", receivedAt: time, bytes: tlog[range])
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await archive.flush()
            let elapsed = clock.now - start
            let total = tlog.count * passes * 4

            let readStart = clock.now
            var records = 0
            var bytes = 0
            for source in 0..<4 {
                for try await record in archive.reader.records(project: "p", source: "radio-\(source)") {
                    records += 1
                    bytes += record.bytes.count
                }
            }
            let readElapsed = clock.now - readStart
            let statistics = try await archive.reader.statistics(project: "p")
            print(
                "raw archive throughput: appended \(total) B (\(receives.count * passes * 4) receives, 4 sources) "
                    + "at "
                    + "\(String(format: "%.0f", Self.megabytesPerSecond(total, elapsed))) MB/s incl. flush; read back at "
                    + "\(String(format: "%.0f", Self.megabytesPerSecond(bytes, readElapsed))) MB/s, "
                    + "\(String(format: "%.2f", Double(records) / readElapsed.seconds / 1e6)) M records/s; "
                    + "ratio \(String(format: "%.2f", statistics.compressionRatio))")
            #expect(bytes == total && records == receives.count * passes * 4)
        }
    }

    static func megabytesPerSecond(_ bytes: Int, _ elapsed: Duration) -> Double {
        Double(bytes) / elapsed.seconds / 1e6
    }
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension Array where Element == UInt8 {
    /// Repeats the bytes (or pads with spaces when empty) to exactly `count` bytes.
    fileprivate func padded(to count: Int) -> [UInt8] {
        guard !isEmpty else { return [UInt8](repeating: 0x20, count: count) }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count { out.append(contentsOf: prefix(count - out.count)) }
        return out
    }
}
