import Foundation
import Testing

@testable import FurrowLogs

/// Builds DataFlash bytes the way ArduPilot writes them.
enum DF {
    static func fmt(_ type: UInt8, _ name: String, _ format: String, _ columns: String, length: Int? = nil) -> [UInt8] {
        return fmtRaw(type, name, format, columns, length: length ?? (3 + bodySize(format)))
    }

    static func fmtRaw(_ type: UInt8, _ name: String, _ format: String, _ columns: String, length: Int) -> [UInt8] {
        [0xA3, 0x95, 0x80, type, UInt8(length)] + padded(name, 4) + padded(format, 16) + padded(columns, 64)
    }

    static func bodySize(_ format: String) -> Int {
        format.reduce(0) { n, c in
            n + (["b": 1, "B": 1, "M": 1, "h": 2, "H": 2, "c": 2, "C": 2, "g": 2, "i": 4, "I": 4, "e": 4, "E": 4, "L": 4, "f": 4,
                "q": 8, "Q": 8, "d": 8, "n": 4, "N": 16, "Z": 64, "a": 64] as [Character: Int])[c, default: 0]
        }
    }

    static func padded(_ s: String, _ n: Int) -> [UInt8] {
        Array(Array(s.utf8).prefix(n)) + [UInt8](repeating: 0, count: Swift.max(0, n - s.utf8.count))
    }

    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    static func f32(_ v: Float) -> [UInt8] { le(v.bitPattern) }
    static func f64(_ v: Double) -> [UInt8] { le(v.bitPattern) }

    static func record(_ type: UInt8, _ body: [UInt8]) -> [UInt8] { [0xA3, 0x95, type] + body }

    /// Reads `bytes` in chunks of `chunk` bytes; returns (name, values, offset) per message and the reader.
    static func read(_ bytes: [UInt8], chunk: Int = .max) -> (DataFlashReader, [(String, [LogValue], Int)]) {
        var reader = DataFlashReader()
        var out: [(String, [LogValue], Int)] = []
        var i = 0
        while i < bytes.count {
            let end = Swift.min(bytes.count, i + Swift.max(1, Swift.min(chunk, bytes.count)))
            reader.feed(Array(bytes[i..<end])) { out.append(($0.name, $0.values, $0.offset)) }
            i = end
        }
        reader.finish { out.append(($0.name, $0.values, $0.offset)) }
        return (reader, out)
    }
}

@Suite("DataFlash reader")
struct DataFlashReaderTests {
    static let realData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/realdata/flightlogs").standardized

    @Test("every format character has its size, offset and scaling")
    func formatCharacters() throws {
        let format = try DataFlashFormat(
            type: 200, name: "ALL", length: 3 + DF.bodySize("bBhHiIqQfdgnNZcCeELMa"), format: "bBhHiIqQfdgnNZcCeELMa",
            columns: "b,B,h,H,i,I,q,Q,f,d,g,n,N,Z,c,C,e,E,L,M,a")
        let sizes = format.fields.map(\.size)
        #expect(sizes == [1, 1, 2, 2, 4, 4, 8, 8, 4, 8, 2, 4, 16, 64, 2, 2, 4, 4, 4, 1, 64])
        var at = 0
        for field in format.fields {
            #expect(field.offset == at)
            at += field.size
        }
        #expect(format.fields[14].divisor == 100 && format.fields[17].divisor == 100)
        #expect(format.fields[18].divisor == 1 / 1.0e-7)
        #expect(format.fields[19].type == .uint8 && format.fields[19].divisor == nil)
        #expect(format.fields[20].shape == .array && format.fields[20].count == 32)
        #expect(format.fields[13].shape == .text && format.fields[13].count == 64)
    }

    @Test("an unknown format character or a wrong length is a bad-format error naming the message")
    func badFormats() {
        #expect(throws: LogReadError.self) {
            try DataFlashFormat(type: 200, name: "BAD", length: 4, format: "x", columns: "X", offset: 77)
        }
        do {
            _ = try DataFlashFormat(type: 200, name: "LEN", length: 10, format: "Q", columns: "TimeUS", offset: 12)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .badFormat && error.offset == 12 && error.messageName == "LEN")
        }
    }

    @Test("scaled fields divide as pymavlink does; M is unsigned; text cuts at NUL, falls back to Latin-1")
    func values() throws {
        var bytes = DF.fmt(200, "SCL", "QcCeELMnNa", "TimeUS,c,C,e,E,Lat,M,n,N,a")
        var body = DF.le(UInt64(5_000_000)) + DF.le(Int16(-1234)) + DF.le(UInt16(65535)) + DF.le(Int32(-7)) + DF.le(UInt32(123_456_789))
        body += DF.le(Int32(-353_987_654)) + [200] + [0x41, 0x42, 0, 0x43] + [0x61, 0xE9] + [UInt8](repeating: 0, count: 14)
        body += (0..<32).flatMap { DF.le(Int16($0 - 16)) }
        bytes += DF.record(200, body)
        let (reader, messages) = DF.read(bytes)
        let values = try #require(messages.last?.1)
        #expect(values[0] == .unsigned(5_000_000))
        #expect(values[1] == .double(Double(-1234) / 100.0))
        #expect(values[2] == .double(655.35))
        #expect(values[3] == .double(-0.07))
        #expect(values[4] == .double(Double(123_456_789) / 100.0))
        #expect(values[5] == .double(Double(-353_987_654) / (1 / 1.0e-7)))
        #expect(values[6] == .unsigned(200))
        #expect(values[7] == .text("AB"))
        #expect(values[8] == .text("a\u{E9}"))
        #expect(values[9] == .signedArray((0..<32).map { Int64($0 - 16) }))
        #expect(reader.truncation == nil && reader.statistics.skippedBytes == 0)
    }

    /// A log with units, an instance field, parameters, events and garbage.
    static func sampleLog(garbage: Bool) -> (bytes: [UInt8], garbageBytes: Int) {
        var b = DF.fmt(0x80, "FMT", "BBnNZ", "Type,Length,Name,Format,Columns")
        b += DF.fmt(129, "UNIT", "QbZ", "TimeUS,Id,Label")
        b += DF.fmt(130, "MULT", "Qbd", "TimeUS,Id,Mult")
        b += DF.fmt(131, "FMTU", "QBNN", "TimeUS,FmtType,UnitIds,MultIds")
        b += DF.fmt(132, "PARM", "QNff", "TimeUS,Name,Value,Default")
        b += DF.fmt(133, "MSG", "QZ", "TimeUS,Message")
        b += DF.fmt(134, "EV", "QB", "TimeUS,Id")
        b += DF.fmt(135, "ERR", "QBB", "TimeUS,Subsys,ECode")
        b += DF.fmt(136, "BAT", "QBfc", "TimeUS,Inst,Volt,Curr")
        b += DF.record(129, DF.le(UInt64(1)) + [UInt8(ascii: "v")] + DF.padded("V", 64))
        b += DF.record(129, DF.le(UInt64(1)) + [UInt8(ascii: "#")] + DF.padded("instance", 64))
        b += DF.record(130, DF.le(UInt64(1)) + [UInt8(ascii: "B")] + DF.f64(0.01))
        b += DF.record(131, DF.le(UInt64(1)) + [136] + DF.padded("s#v", 16) + DF.padded("F-B0", 16))
        b += DF.record(132, DF.le(UInt64(2)) + DF.padded("WPNAV_SPEED", 16) + DF.f32(500) + DF.f32(.nan))
        b += DF.record(132, DF.le(UInt64(3)) + DF.padded("RTL_ALT", 16) + DF.f32(1500) + DF.f32(1500))
        b += DF.record(133, DF.le(UInt64(4)) + DF.padded("ArduCopter V4.5.0", 64))
        b += DF.record(134, DF.le(UInt64(5)) + [10])
        b += DF.record(135, DF.le(UInt64(6)) + [3, 1])
        var junk = 0
        for i in 0..<30 {
            b += DF.record(136, DF.le(UInt64(100 + i)) + [UInt8(i % 3)] + DF.f32(Float(i)) + DF.le(Int16(i * 10)))
            if garbage && i % 7 == 3 {
                let g: [UInt8] = [0x00, 0xA3, 0x11, 0xA3, 0x95, 0xF0, 0x01, 0x02, 0xA3]
                b += g
                junk += g.count
            }
        }
        return (b, junk)
    }

    @Test("FMTU gives units, multipliers and the instance field; PARM, MSG, EV, ERR are collected")
    func metadata() throws {
        let (bytes, _) = Self.sampleLog(garbage: false)
        var reader = DataFlashReader()
        var keys: [String] = []
        reader.feed(bytes) { if $0.name == "BAT" { keys.append($0.seriesKey) } }
        reader.finish { _ in }
        let bat = try #require(reader.formats[136])
        #expect(bat.instanceFieldIndex == 1)
        #expect(bat.fields[2].unit == "V" && bat.fields[2].multiplier == 0.01)
        #expect(keys.prefix(3) == ["BAT[0]", "BAT[1]", "BAT[2]"])
        #expect(reader.parameters.map(\.name) == ["WPNAV_SPEED", "RTL_ALT"])
        #expect(reader.parameters[0].defaultValue == nil && reader.parameters[1].defaultValue == 1500)
        #expect(reader.events.map(\.kind) == [.text("ArduCopter V4.5.0"), .event(id: 10), .error(subsystem: 3, code: 1)])
    }

    @Test("garbage is skipped and counted exactly, whatever the chunk size", arguments: [1, 2, 3, 7, 64, 1000, Int.max])
    func garbageResync(chunk: Int) {
        let (clean, _) = Self.sampleLog(garbage: false)
        let (dirty, junk) = Self.sampleLog(garbage: true)
        let (_, want) = DF.read(clean)
        let (reader, got) = DF.read(dirty, chunk: chunk)
        #expect(got.map(\.0) == want.map(\.0))
        // Compared as text: the values include a NaN, which is never == itself.
        #expect(got.map { "\($0.1)" } == want.map { "\($0.1)" })
        #expect(reader.statistics.skippedBytes == junk)
        #expect(reader.statistics.resyncs == 4)
        #expect(reader.truncation == nil)
    }

    @Test("a cut tail is reported with its offset and message; everything before it is delivered", arguments: [1, 2, 5, 17])
    func truncation(cut: Int) {
        let (bytes, _) = Self.sampleLog(garbage: false)
        let (_, all) = DF.read(bytes)
        let last = all.last!
        let cutBytes = Array(bytes.prefix(last.2 + cut))
        for chunk in [1, 13, Int.max] {
            let (reader, got) = DF.read(cutBytes, chunk: chunk)
            #expect(got.count == all.count - 1)
            #expect(reader.truncation?.offset == last.2)
            #expect(reader.truncation?.droppedBytes == cut)
            #expect(reader.truncation?.messageName == (cut >= 3 ? "BAT" : nil))
        }
    }

    @Test("a redefined type is read with its new layout; a bad FMT is a diagnostic and its messages are skipped whole")
    func redefinition() {
        var b = DF.fmt(140, "NOTM", "Bf", "Id,Val")
        b += DF.record(140, [1] + DF.f32(1.5))
        b += DF.fmt(140, "NOTM", "Bd", "Id,Val")
        b += DF.record(140, [2] + DF.f64(2.25))
        b += DF.fmtRaw(141, "BAD", "Qx", "TimeUS,X", length: 12)
        b += DF.record(141, [UInt8](repeating: 0xA3, count: 9))
        b += DF.record(140, [3] + DF.f64(-1))
        let (reader, got) = DF.read(b)
        #expect(got.filter { $0.0 == "NOTM" }.map(\.1) == [[.unsigned(1), .float(1.5)], [.unsigned(2), .double(2.25)], [.unsigned(3), .double(-1)]])
        #expect(reader.diagnostics.count == 1 && reader.diagnostics.first[0].code == .badFormat)
        #expect(reader.statistics.undecodableMessages == 1)
    }

    @Test("the columnar batches keep raw integers with their divisor, one series per instance")
    func batches() throws {
        let (bytes, _) = Self.sampleLog(garbage: true)
        var reader = DataFlashReader()
        var batcher = DataFlashBatcher(rowsPerBatch: 4)
        var batches: [LogBatch] = []
        reader.feed(bytes) { message in batcher.append(message) { batches.append($0) } }
        reader.finish { _ in }
        batcher.flush { batches.append($0) }
        let bat1 = batches.filter { $0.seriesKey == "BAT[1]" }
        #expect(bat1.reduce(0) { $0 + $1.count } == 10)
        let first = try #require(bat1.first)
        #expect(first.timestamps == [101, 104, 107, 110])
        let curr = try #require(first.columns.first { $0.name == "Curr" })
        #expect(curr.divisor == 100)
        guard case .signed(let raw) = curr.values else { Issue.record("Curr should be signed"); return }
        #expect(raw == [10, 40, 70, 100])
        #expect(batches.reduce(0) { $0 + $1.count } == reader.statistics.messages)
    }

    @Test("the real 64 KiB log: 1,731 messages, 132 FMT, 47 types, cut at the end; same in any chunking")
    func realLog() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.realData.appendingPathComponent("pymavlink__test.BIN")))
        let (reader, all) = DF.read(bytes)
        #expect(all.count == 1731)
        #expect(all.filter { $0.0 == "FMT" }.count == 132)
        #expect(Set(all.map(\.0)).count == 47)
        let t = try #require(reader.truncation)
        #expect(t.offset + t.droppedBytes == bytes.count)
        for chunk in [1, 100, 4096] {
            let (other, again) = DF.read(bytes, chunk: chunk)
            #expect(again.count == all.count && again.map(\.2) == all.map(\.2))
            #expect(other.truncation == reader.truncation)
        }
    }
}
