import Foundation
import Testing

@testable import FurrowLogs

/// Never-crash tests for the summarizer: random bytes behind each format's magic, and random cuts, bit flips
/// and garbage runs in the real logs, in random chunk sizes.
@Suite("flight summaries never crash")
struct FlightSummaryFuzzTests {
    static func summarize(_ bytes: [UInt8], chunk: Int, format: FlightLogFormat?) -> FlightSummary? {
        var session = FlightLogSummary.Session(format: format, options: .init(swathWidthMeters: 3))
        do {
            var i = 0
            while i < bytes.count {
                let n = Swift.min(chunk, bytes.count - i)
                try bytes[i..<(i + n)].withUnsafeBytes { try session.feed($0) }
                i += n
            }
            return try session.finish()
        } catch {
            return nil  // An error is an answer; a trap is not.
        }
    }

    @Test("random bytes, with and without a format's magic", arguments: 0..<3)
    func random(_ seed: Int) {
        var rng = FlightLogFuzzTests.SplitMix(state: UInt64(seed) &* 0x1234_5678_9ABC)
        let heads: [[UInt8]] = [[], [0xA3, 0x95, 0x80], ULogReader.magic + [1, 0, 0, 0, 0, 0, 0, 0, 0]]
        for _ in 0..<60 {
            var bytes = heads[Int.random(in: 0..<heads.count, using: &rng)]
            bytes += (0..<Int.random(in: 0...4000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            for format in [nil] + FlightLogFormat.allCases.map(Optional.some) {
                _ = Self.summarize(bytes, chunk: Int.random(in: 1...512, using: &rng), format: format)
            }
        }
    }

    @Test(
        "mutated real logs",
        arguments: ["pymavlink__test.BIN", "pyulog__sample_log_small.ulg", "UAVLogViewer__vtol.tlog"])
    func mutated(_ name: String) throws {
        let source = try FlightSummaryTests.real(name)
        var rng = FlightLogFuzzTests.SplitMix(state: UInt64(name.utf8.count) &* 0x9E37)
        for _ in 0..<12 {
            let bytes = FlightLogFuzzTests.mutate(source, &rng)
            if let s = Self.summarize(bytes, chunk: Int.random(in: 64...65536, using: &rng), format: nil) {
                _ = TrackExportFormat.gpx.render(s)
                _ = TrackExportFormat.geojson.render(s)
            }
        }
    }
}

/// Values a well-formed log can still hold where ids and positions are expected: NaN, infinities, 1e300,
/// times near UInt64.max, GPS glitches across the globe. None may trap or blow up memory.
@Suite("flight summaries of hostile values")
struct FlightSummaryHostileValueTests {
    static func fmt(_ type: UInt8, _ name: String, _ format: String, _ columns: String) -> [UInt8] {
        func padded(_ s: String, _ n: Int) -> [UInt8] { Array(s.utf8.prefix(n)) + [UInt8](repeating: 0, count: Swift.max(0, n - s.utf8.count)) }
        let length = 3 + 8 + (format.count - 1) * 8  // Q then doubles
        return [0xA3, 0x95, 0x80, type, UInt8(length)] + padded(name, 4) + padded(format, 16) + padded(columns, 64)
    }

    static func record(_ type: UInt8, time: UInt64, _ values: [Double]) -> [UInt8] {
        var out: [UInt8] = [0xA3, 0x95, type]
        withUnsafeBytes(of: time.littleEndian) { out += $0 }
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        return out
    }

    @Test("a DataFlash log whose fields are doubles full of NaN, infinities and 1e300")
    func dataflash() throws {
        let hostile: [Double] = [.nan, .infinity, -.infinity, 1e300, -1e300, 9.3e18, -9.3e18, 0, 3, 10, 11]
        var bytes = Self.fmt(140, "GPS", "Qddddddd", "TimeUS,Status,GMS,GWk,Lat,Lng,Alt,Spd")
        bytes += Self.fmt(141, "MODE", "Qdd", "TimeUS,Mode,ModeNum")
        bytes += Self.fmt(142, "ERR", "Qdd", "TimeUS,Subsys,ECode")
        bytes += Self.fmt(143, "BAT", "Qdddddd", "TimeUS,Instance,Volt,Curr,CurrTot,EnrgTot")
        bytes += Self.fmt(144, "EV", "Qd", "TimeUS,Id")
        bytes += Self.fmt(145, "VER", "Qd", "TimeUS,BU")
        bytes += Self.fmt(146, "POS", "Qd", "TimeUS,RelHomeAlt")
        var rng = FlightLogFuzzTests.SplitMix(state: 7)
        let times: [UInt64] = [0, 1, 1_000_000, UInt64(Int64.max), .max, 1 << 61, 5_000_000]
        for _ in 0..<400 {
            let type = UInt8.random(in: 140...146, using: &rng)
            let count = [7, 2, 2, 5, 1, 1, 1][Int(type - 140)]
            let values = (0..<count).map { _ in hostile[Int.random(in: 0..<hostile.count, using: &rng)] }
            bytes += Self.record(type, time: times[Int.random(in: 0..<times.count, using: &rng)], values)
        }
        // Valid fixes on opposite sides of the globe: the area must skip the jump, not rasterise it.
        bytes += Self.record(140, time: 6_000_000, [3, 1000, 2000, -35, 149, 100, 1])
        bytes += Self.record(140, time: 6_200_000, [3, 1200, 2000, 60, -20, 100, 1])
        bytes += Self.record(144, time: 5_900_000, [10])
        let summary = try FlightLogSummary.summarize(bytes: bytes, options: .init(swathWidthMeters: 1e9, areaCellMeters: 1e-300))
        _ = TrackExportFormat.gpx.render(summary)
        _ = TrackExportFormat.kml.render(summary)
        _ = TrackExportFormat.geojson.render(summary)
        #expect(summary.format == .dataflash)
    }

    @Test("a swath raster refuses glitches and absurd sizes")
    func swath() {
        var c = SwathCoverage(width: .infinity, cell: 0)
        c.addPoint(x: 0, y: 0, connect: false)
        c.addPoint(x: 1e7, y: -1e7, connect: true)
        c.addPoint(x: 10, y: 0, connect: true)
        c.addPoint(x: 3000, y: 0, connect: true)
        #expect(c.skipped == 2)
        #expect(c.area >= 0)
    }
}
