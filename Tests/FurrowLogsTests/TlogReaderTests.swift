import Foundation
import Testing
@testable import FurrowLogs
@testable import FurrowWire

@Suite("tlog reader")
struct TlogReaderTests {
    static let realData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/realdata/flightlogs").standardized

    /// A v1 ATTITUDE frame with a given sequence number.
    static func frame(_ seq: UInt8) -> [UInt8] {
        var frame: [UInt8] = [0xFE, 28, seq, 1, 1, 30] + (0..<28).map { UInt8($0 &+ seq) }
        var crc = CRC16MCRF4XX()
        crc.update(Array(frame[1...]))
        crc.update(byte: 39)
        frame += [UInt8(crc.value & 0xFF), UInt8(crc.value >> 8)]
        return frame
    }

    static func record(_ micros: UInt64, _ frame: [UInt8], bigEndian: Bool = true) -> [UInt8] {
        let t = bigEndian ? micros.bigEndian : micros.littleEndian
        return withUnsafeBytes(of: t) { Array($0) } + frame
    }

    static func read(_ bytes: [UInt8], chunk: Int = .max) -> (reader: TlogReader, records: [(UInt64, UInt8)]) {
        var reader = TlogReader()
        var out: [(UInt64, UInt8)] = []
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + chunk)
            reader.feed(Array(bytes[i..<end])) { out.append(($0.rawTimestamp, $0.frame.sequence)) }
            i = end
        }
        reader.finish { out.append(($0.rawTimestamp, $0.frame.sequence)) }
        return (reader, out)
    }

    static let t0: UInt64 = 1_700_000_000_000_000

    @Test("big- and little-endian timestamps are detected from the first record", arguments: [true, false])
    func byteOrder(bigEndian: Bool) {
        let bytes = (0..<50).flatMap { Self.record(Self.t0 + UInt64($0) * 20_000 | 1, Self.frame(UInt8($0)), bigEndian: bigEndian) }
        for chunk in [1, 9, 100, Int.max] {
            let (reader, records) = Self.read(bytes, chunk: chunk)
            #expect(records.count == 50)
            #expect(records.first?.0 == Self.t0 | 1)
            #expect(reader.statistics.timestampOrder == (bigEndian ? .bigEndian : .littleEndian))
            #expect(reader.framer.statistics.bytesSkipped == 0)
        }
    }

    @Test("garbage between records is skipped and counted; every good record after it is kept")
    func resync() {
        var bytes: [UInt8] = []
        for i in 0..<40 {
            bytes += Self.record(Self.t0 + UInt64(i) * 1000, Self.frame(UInt8(i)))
            if i % 10 == 3 { bytes += [0xFD, 0x10, 0xFE, 0x00, 0x33, 0xFE, 0xFE, 0x01] }
        }
        for chunk in [1, 7, 64, Int.max] {
            let (reader, records) = Self.read(bytes, chunk: chunk)
            #expect(records.map(\.1) == (0..<40).map { UInt8($0) }, "chunk \(chunk)")
            #expect(reader.framer.statistics.bytesSkipped == 4 * 8)
        }
    }

    @Test("a file cut mid-record imports every whole record and counts the rest")
    func truncated() {
        let whole = (0..<10).flatMap { Self.record(Self.t0 + UInt64($0), Self.frame(UInt8($0))) }
        let cut = Array(whole[..<(whole.count - 5)])
        let (reader, records) = Self.read(cut)
        #expect(records.count == 9)
        #expect(reader.framer.statistics.bytesSkipped == 44 - 5)
    }

    /// Found by the fuzzer (Fuzz/regressions/): a search for the next record that ran out of bytes at a chunk
    /// end used to resume as a record attempt, counting a CRC failure (or incompat reject) and a resync that
    /// the same bytes fed whole do not produce.
    @Test("counters do not depend on where chunks end", arguments: [
        "00401e18240a0600fd000000994600000000d0e600e8431e18240a0600fd0000000101010000001234",
        "00401e18240a0600fd000000994600000000d0e6008a002b18240a0600fd25f300612d002fe62d00e6",
    ])
    func chunkingInvariantCounters(hex: String) {
        let bytes = stride(from: 0, to: hex.count, by: 2).map { i -> UInt8 in
            let start = hex.index(hex.startIndex, offsetBy: i)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
        let (whole, wholeRecords) = Self.read(bytes)
        for chunk in [1, 2, 3, 7, 16, 29] {
            let (split, splitRecords) = Self.read(bytes, chunk: chunk)
            #expect(splitRecords.map(\.0) == wholeRecords.map(\.0), "chunk \(chunk)")
            #expect(split.statistics == whole.statistics, "chunk \(chunk)")
            #expect(split.framer.statistics == whole.framer.statistics, "chunk \(chunk)")
        }
        #expect(wholeRecords.count == 1)  // 8-byte timestamp + a 12-byte HEARTBEAT with an empty payload
        #expect(whole.framer.statistics.bytesSkipped + 20 == bytes.count)
    }

    @Test("empty and tiny inputs give no records and no crash")
    func tiny() {
        for n in 0..<20 {
            let (reader, records) = Self.read([UInt8](repeating: 0xFD, count: n))
            #expect(records.isEmpty)
            #expect(reader.framer.statistics.bytesSkipped == n)
        }
    }

    @Test("the real ArduPilot VTOL log decodes to 23,894 frames, as pymavlink counts")
    func realLog() throws {
        let data = try [UInt8](Data(contentsOf: Self.realData.appendingPathComponent("UAVLogViewer__vtol.tlog")))
        let (reader, records) = Self.read(data, chunk: 65536)
        #expect(records.count == 23_894)
        #expect(reader.framer.statistics.bytesSkipped == 0)
        #expect(reader.framer.statistics.crcFailures == 0)
    }

    @Test("Python float repr is reproduced", arguments: [
        (1e16, "1e+16"), (1e15, "1000000000000000.0"), (0.0001, "0.0001"), (0.00001, "1e-05"),
        (944.5953979492188, "944.5953979492188"), (2.441406195430318e-06, "2.441406195430318e-06"),
        (-0.0, "-0.0"), (1.5, "1.5"), (123456789.0, "123456789.0"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (5e-324, "5e-324"), (-2.5e-7, "-2.5e-07"), (1533737161.905, "1533737161.905"),
    ])
    func pythonRepr(value: Double, expected: String) {
        #expect(JSONLineWriter.pythonRepr(value) == expected)
    }
}
