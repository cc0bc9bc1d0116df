import Foundation
import FurrowLogs
import FurrowStore
import FurrowWire
import Testing

@testable import FurrowIngest

@Suite("Live flight summaries")
struct LiveFlightSummarizerTests {
    @Test("a receive that is exactly one frame of another system is passed over; anything else is framed")
    func singleFramesOfOtherSystems() {
        var attitude = TestPayload("ATTITUDE")
        attitude.set("time_boot_ms", UInt32(1234))
        let from7 = TestFrames.v2(attitude, sequence: 1, systemID: 7)
        let from9 = TestFrames.v2(attitude, sequence: 2, systemID: 9)
        func check(_ bytes: [UInt8], _ system: UInt8) -> Bool {
            bytes.withUnsafeBytes { LiveFlightSummarizer.isSingleFrame($0, ofAnotherSystemThan: system) }
        }
        #expect(check(from9, 7))
        #expect(!check(from7, 7))
        // Two frames in one datagram (a router packing them), a cut frame, garbage: framed as before.
        #expect(!check(from9 + from7, 7))
        #expect(!check(from9 + from9, 7))
        #expect(!check(Array(from9.dropLast()), 7))
        #expect(!check([0x55, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 7))
        #expect(!check([], 7))
        // MAVLink 1: header 6, CRC 2; system id at offset 3.
        let v1: [UInt8] = [0xFE, 2, 0, 9, 1, 0, 0xAA, 0xBB, 0x12, 0x34]
        #expect(check(v1, 7))
        #expect(!check(v1, 9))
        // A signed v2 frame (incompat flag 1) carries 13 more bytes.
        var signed = from9
        signed[2] = 0x01
        #expect(!check(signed, 7))
        #expect(check(signed + [UInt8](repeating: 0, count: 13), 7))
    }
}

/// `LiveFlightSummarizer.summarize(together:)` on a real archive: one read serves several flights of one
/// link, and each flight's summary is what its own frames in its own period give.
@Suite("Live flight summaries, batched")
struct LiveFlightBatchTests {
    static let t0: Int64 = 1_763_000_000_000_000
    static let link = "udp1"

    /// A GPS_RAW_INT with a 3D fix, moving east with `i`.
    static func fix(system: UInt8, _ i: Int) throws -> [UInt8] {
        var encoder = MAVLinkEncoder(version: .v2, systemID: system, componentID: 1)
        let info = try #require(MAVLinkDialect.ardupilotmega.message(named: "GPS_RAW_INT"))
        var out: [UInt8] = []
        try encoder.encode(info, into: &out) { w in
            w.set(MAVLinkFieldSlot(info.fields[info.fieldIndex(named: "fix_type")!]), UInt8(3))
            w.set(MAVLinkFieldSlot(info.fields[info.fieldIndex(named: "lat")!]), Int32(480_000_000 + Int(system) * 10_000))
            w.set(MAVLinkFieldSlot(info.fields[info.fieldIndex(named: "lon")!]), Int32(110_000_000 + i * 100))
            w.set(MAVLinkFieldSlot(info.fields[info.fieldIndex(named: "satellites_visible")!]), UInt8(12))
        }
        return out
    }

    @Test("flights of two systems summarised together equal their frames summarised apart, period by period")
    func togetherMatchesEachFlightsOwnFrames() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("live-batch-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try StoreDatabase.open(path: directory.appendingPathComponent("furrow.sqlite").path)
        let archive = RawArchive(database: pool)
        // 40 s at 10 Hz from systems 7 and 8; every 50th receive packs both frames in one datagram.
        var receives: [(at: Int64, bytes: [UInt8])] = []
        for i in 0..<400 {
            let at = Self.t0 + Int64(i) * 100_000
            if i % 50 == 0 {
                receives.append((at, try Self.fix(system: 7, i) + Self.fix(system: 8, i)))
            } else {
                receives.append((at, try Self.fix(system: 7, i)))
                receives.append((at + 1, try Self.fix(system: 8, i)))
            }
        }
        for r in receives { try await archive.append(project: "default", source: Self.link, receivedAt: r.at, bytes: r.bytes) }
        try await archive.flush()

        let catalog = FlightCatalog(database: pool)
        var summarizer = LiveFlightSummarizer(reader: archive.reader, flights: catalog)
        summarizer.margin = 1_000_000
        func flight(_ system: UInt8, from: Int64, to: Int64) throws -> LiveFlightEnd {
            let start = Self.t0 + from * 1_000_000
            let id = try catalog.begin(project: "default", source: "drone\(system)", start: start)
            return LiveFlightEnd(
                flight: id, project: "default", start: start, end: Self.t0 + to * 1_000_000,
                archive: LiveFlightArchive(project: "default", link: Self.link, systemID: system, componentID: 1))
        }
        let flights = [try flight(7, from: 2, to: 10), try flight(8, from: 5, to: 30), try flight(7, from: 20, to: 35)]

        // The oracle: each flight's own frames (its system, its period plus the margin, the end excluded as
        // an archive read excludes it), framed one receive at a time, without the archive.
        func expected(_ ended: LiveFlightEnd) -> FlightSummary {
            var oracle = FlightSummarizer(format: .tlog, options: ended.archive.options)
            var framer = MAVLinkFramer()
            for r in receives where (ended.start - summarizer.margin..<ended.end + summarizer.margin).contains(r.at) {
                r.bytes.withUnsafeBytes { bytes in
                    framer.feed(bytes) { frame in
                        if frame.systemID == ended.archive.systemID {
                            oracle.add(TlogRecord(timestampMicros: r.at, frame: frame))
                        }
                    }
                    framer.finish { _ in }
                }
            }
            var summary = oracle.finish()
            summary.notes.append("summarised from the raw archive of link \(Self.link) (system \(ended.archive.systemID))")
            return summary
        }

        let together = try await summarizer.summarize(together: flights).map { try $0.get() }
        #expect(together.count == 3)
        for (ended, summary) in zip(flights, together) {
            #expect(summary == expected(ended))
            #expect(summary.gpsPointCount > 0)
            let alone = try await summarizer.summarize(ended)
            #expect(alone == summary)
            let stored = try #require(try await catalog.flight(id: ended.flight, project: "default"))
            #expect(stored.summary != nil)
        }
        #expect(together[0].gpsPointCount != together[2].gpsPointCount, "the two flights of system 7 differ")
    }
}
