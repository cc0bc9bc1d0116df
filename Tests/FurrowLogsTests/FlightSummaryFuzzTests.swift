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
