import Foundation
import Testing

@testable import FurrowLogs

/// Never-crash tests: random bytes, random cuts and bit flips of the real logs, through both readers,
/// in random chunk sizes. Every run must end with the counters adding up; none may trap.
@Suite("flight-log readers never crash")
struct FlightLogFuzzTests {
    static let realData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/realdata/flightlogs").standardized

    /// A small deterministic generator (SplitMix64), so a failure can be replayed from its seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mutate(_ source: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var bytes = Array(source.prefix(Int.random(in: 0...source.count, using: &rng)))
        for _ in 0..<Int.random(in: 0...8, using: &rng) where !bytes.isEmpty {
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
        }
        if Bool.random(using: &rng), !bytes.isEmpty {
            // A run of random bytes somewhere (a corrupted flash page).
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            let run = (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            bytes.replaceSubrange(at..<Swift.min(bytes.count, at + run.count), with: run)
        }
        return bytes
    }

    static func readDataFlash(_ bytes: [UInt8], chunk: Int) -> DataFlashReader {
        var reader = DataFlashReader()
        var batcher = DataFlashBatcher(rowsPerBatch: 64)
        var i = 0
        while i < bytes.count {
            let end = Swift.min(bytes.count, i + chunk)
            reader.feed(Array(bytes[i..<end])) { message in
                _ = message.values
                batcher.append(message) { _ in }
            }
            i = end
        }
        reader.finish { _ = $0.values }
        batcher.flush { _ in }
        return reader
    }

    static func readULog(_ bytes: [UInt8], chunk: Int) -> ULogReader? {
        var reader = ULogReader()
        var batcher = ULogBatcher(rowsPerBatch: 64)
        var i = 0
        do {
            while i < bytes.count {
                let end = Swift.min(bytes.count, i + chunk)
                try reader.feed(Array(bytes[i..<end])) { event in
                    if case .data(let d) = event {
                        _ = d.values
                        batcher.append(d) { _ in }
                    }
                }
                i = end
            }
            try reader.finish { _ in }
        } catch is LogReadError {
            return nil  // Not a ULog any more (the magic was hit, or incompatible flags): a typed error, fine.
        } catch {
            Issue.record("unexpected error \(error)")
        }
        batcher.flush { _ in }
        return reader
    }

    @Test("random bytes through both readers")
    func randomBytes() {
        var rng = SplitMix(state: 1)
        for _ in 0..<2000 {
            let n = Int.random(in: 0...600, using: &rng)
            var bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Make headers likely: sprinkle DataFlash sync bytes and a ULog header.
            if Bool.random(using: &rng) {
                for _ in 0..<Int.random(in: 0...20, using: &rng) where bytes.count > 2 {
                    let at = Int.random(in: 0..<(bytes.count - 2), using: &rng)
                    bytes[at] = 0xA3
                    bytes[at + 1] = 0x95
                    bytes[at + 2] = Bool.random(using: &rng) ? 0x80 : UInt8.random(in: 0...255, using: &rng)
                }
            }
            let chunk = Int.random(in: 1...700, using: &rng)
            let df = Self.readDataFlash(bytes, chunk: chunk)
            #expect(df.statistics.bytes == bytes.count)
            let ulogBytes = ULogReader.magic + [1] + [UInt8](repeating: 0, count: 8) + bytes
            if let ul = Self.readULog(ulogBytes, chunk: chunk) {
                #expect(ul.statistics.bytes == ulogBytes.count)
            }
        }
    }

    @Test("random cuts and bit flips of the real .bin")
    func realDataFlash() throws {
        let source = try [UInt8](Data(contentsOf: Self.realData.appendingPathComponent("pymavlink__test.BIN")))
        var rng = SplitMix(state: 2)
        let started = ContinuousClock.now
        var runs = 0
        while runs < 2000 && ContinuousClock.now - started < .seconds(30) {
            // Windows of up to 16 KiB keep a debug build fast; every tenth run takes the whole file.
            let window = runs % 10 == 0 ? source : Array(source.prefix(Int.random(in: 0...16384, using: &rng)))
            let bytes = Self.mutate(window, &rng)
            let reader = Self.readDataFlash(bytes, chunk: Int.random(in: 1...5000, using: &rng))
            #expect(reader.statistics.bytes == bytes.count)
            if let t = reader.truncation { #expect(t.offset + t.droppedBytes == bytes.count) }
            runs += 1
        }
        #expect(runs >= 200)
    }

    @Test("random cuts and bit flips of the real .ulg")
    func realULog() throws {
        let source = try [UInt8](Data(contentsOf: Self.realData.appendingPathComponent("pyulog__sample_log_small.ulg")))
        var rng = SplitMix(state: 3)
        let started = ContinuousClock.now
        var runs = 0
        while runs < 2000 && ContinuousClock.now - started < .seconds(30) {
            let window = runs % 25 == 0 ? source : Array(source.prefix(Int.random(in: 0...32768, using: &rng)))
            let bytes = Self.mutate(window, &rng)
            if let reader = Self.readULog(bytes, chunk: Int.random(in: 1...9000, using: &rng)) {
                #expect(reader.statistics.bytes == bytes.count)
                if let t = reader.truncation { #expect(t.offset + t.droppedBytes == bytes.count) }
            }
            runs += 1
        }
        #expect(runs >= 200)
    }
}
