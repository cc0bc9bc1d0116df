import Foundation
import Testing

@testable import FurrowLogs

/// Builds ULog bytes.
enum UL {
    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    static func header(_ timestamp: UInt64 = 1_000) -> [UInt8] { ULogReader.magic + [1] + le(timestamp) }

    static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        le(UInt16(body.count)) + [UInt8(type.asciiValue!)] + body
    }

    static func format(_ text: String) -> [UInt8] { message("F", Array(text.utf8)) }

    static func keyValue(_ type: String, _ key: String, _ value: [UInt8]) -> [UInt8] {
        let tk = Array("\(type) \(key)".utf8)
        return [UInt8(tk.count)] + tk + value
    }

    static func subscribe(_ name: String, msgID: UInt16, multiID: UInt8 = 0) -> [UInt8] {
        message("A", [multiID] + le(msgID) + Array(name.utf8))
    }

    static func data(_ msgID: UInt16, _ body: [UInt8]) -> [UInt8] { message("D", le(msgID) + body) }

    static func flags(incompat: UInt8 = 0, appended: [UInt64] = []) -> [UInt8] {
        var offsets = appended + [UInt64](repeating: 0, count: 3 - appended.count)
        offsets = Array(offsets.prefix(3))
        return message("B", [UInt8](repeating: 0, count: 8) + [incompat] + [UInt8](repeating: 0, count: 7) + offsets.flatMap { le($0) })
    }

    /// Reads in chunks; returns the events as (kind, detail) strings and the reader.
    static func read(_ bytes: [UInt8], chunk: Int = .max) throws -> (ULogReader, [String]) {
        var reader = ULogReader()
        var out: [String] = []
        var i = 0
        let step = Swift.max(1, Swift.min(chunk, Swift.max(bytes.count, 1)))
        while i < bytes.count {
            let end = Swift.min(bytes.count, i + step)
            try reader.feed(Array(bytes[i..<end])) { out.append(describe($0)) }
            i = end
        }
        try reader.finish { out.append(describe($0)) }
        return (reader, out)
    }

    static func describe(_ event: ULogEvent) -> String {
        switch event {
        case .data(let d): "D \(d.subscription.seriesKey) \(d.timestamp) \(d.values)"
        case .format(let f): "F \(f.name)"
        case .info(let kv): "I \(kv.key)=\(kv.value)"
        case .multiInfo(let kv, let c): "M \(kv.key)=\(kv.value) \(c)"
        case .parameter(let kv, let initial, let t): "P \(kv.key)=\(kv.value) \(initial) \(t)"
        case .parameterDefault(let kv, let types): "Q \(kv.key)=\(kv.value) \(types)"
        case .subscription(let s): "A \(s.seriesKey) \(s.msgID)"
        case .unsubscription(let id): "R \(id)"
        case .logString(let l): "L \(l.level) \(l.tag.map(String.init) ?? "-") \(l.timestamp) \(l.message)"
        case .sync: "S"
        case .dropout(let ms, let t): "O \(ms) \(t)"
        case .flagBits(let f): "B \(f.appendedOffsets)"
        }
    }

    /// A small log with a nested format, arrays, padding and every message type.
    static func sample() -> [UInt8] {
        var b = header()
        b += flags()
        b += format("motor:uint16_t rpm;int8_t temp;uint8_t[1] _padding0;")
        b += format("esc:uint64_t timestamp;motor[2] m;float[3] v;bool ok;char[4] tag;uint8_t[3] _padding0;")
        b += message("I", keyValue("char[5]", "sys_name", Array("PX4FM".utf8)))
        b += message("I", keyValue("int32_t", "ver_sw_release", le(Int32(0x010B_00FF))))
        b += message("M", [0] + keyValue("char[3]", "perf", Array("abc".utf8)))
        b += message("M", [1] + keyValue("char[2]", "perf", Array("de".utf8)))
        b += message("P", keyValue("float", "MC_ROLL_P", le(Float(6.5).bitPattern)))
        b += message("Q", [1] + keyValue("int32_t", "SYS_AUTOSTART", le(Int32(4001))))
        b += subscribe("esc", msgID: 7, multiID: 1)
        for i in 0..<5 {
            var body = le(UInt64(2_000 + i * 100))
            body += le(UInt16(1000 + i)) + [UInt8(bitPattern: Int8(-i))] + [0]
            body += le(UInt16(2000 + i)) + [UInt8(i)] + [0]
            body += le(Float(i).bitPattern) + le(Float(-1.5).bitPattern) + le(Float.infinity.bitPattern)
            body += [1] + Array("ok!\0".utf8)
            b += data(7, body)  // trailing padding left out, as PX4 writes it
            if i == 2 {
                b += message("L", [UInt8(ascii: "6")] + le(UInt64(2_250)) + Array("hello".utf8))
                b += message("C", [UInt8(ascii: "4")] + le(UInt16(9)) + le(UInt64(2_260)) + Array("tagged".utf8))
                b += message("S", ULogReader.syncBytes)
                b += message("O", le(UInt16(35)))
                b += message("P", keyValue("float", "MC_ROLL_P", le(Float(7).bitPattern)))
            }
        }
        return b
    }
}

@Suite("ULog reader")
struct ULogReaderTests {
    static let realData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/realdata/flightlogs").standardized

    @Test("nested formats and arrays are flattened as pyulog flattens them; padding is left out")
    func nested() throws {
        let (reader, events) = try UL.read(UL.sample())
        let sub = try #require(reader.subscriptions.first)
        #expect(sub.fields.map(\.name) == [
            "timestamp", "m[0].rpm", "m[0].temp", "m[1].rpm", "m[1].temp", "v[0]", "v[1]", "v[2]", "ok",
            "tag[0]", "tag[1]", "tag[2]", "tag[3]",
        ])
        #expect(sub.allFields.map(\.name).contains("m[0]._padding0[0]"))
        #expect(sub.size == 33 && sub.paddedSize == 36)
        #expect(sub.fields.map(\.offset) == [0, 8, 10, 12, 14, 16, 20, 24, 28, 29, 30, 31, 32])
        let data = events.filter { $0.hasPrefix("D ") }
        #expect(data.count == 5)
        #expect(data[3] == "D esc[1] 2300 [FurrowLogs.LogValue.unsigned(2300), FurrowLogs.LogValue.unsigned(1003), FurrowLogs.LogValue.signed(-3), FurrowLogs.LogValue.unsigned(2003), FurrowLogs.LogValue.signed(3), FurrowLogs.LogValue.float(3.0), FurrowLogs.LogValue.float(-1.5), FurrowLogs.LogValue.float(inf), FurrowLogs.LogValue.signed(1), FurrowLogs.LogValue.signed(111), FurrowLogs.LogValue.signed(107), FurrowLogs.LogValue.signed(33), FurrowLogs.LogValue.signed(0)]")
        #expect(reader.truncation == nil && reader.statistics.skippedBytes == 0)
    }

    @Test("info, multi-info, parameters (initial and changed), defaults, strings, sync and dropouts")
    func otherMessages() throws {
        let (reader, events) = try UL.read(UL.sample())
        #expect(events.contains("I sys_name=text(\"PX4FM\")"))
        #expect(events.contains("I ver_sw_release=signed(17498367)"))
        #expect(events.contains("M perf=text(\"abc\") false") && events.contains("M perf=text(\"de\") true"))
        #expect(events.contains("P MC_ROLL_P=float(6.5) true 1000"))
        #expect(events.contains("P MC_ROLL_P=float(7.0) false 2200"))
        #expect(events.contains("Q SYS_AUTOSTART=signed(4001) 1"))
        #expect(events.contains("L 54 - 2250 hello") && events.contains("L 52 9 2260 tagged"))
        #expect(events.contains("S") && events.contains("O 35 2200"))
        #expect(reader.statistics.dropouts == 1 && reader.statistics.syncs == 1)
        #expect(reader.header == ULogHeader(version: 1, timestamp: 1_000))
    }

    @Test("any chunking gives the same events")
    func chunking() throws {
        let bytes = UL.sample()
        let (_, whole) = try UL.read(bytes)
        for chunk in [1, 2, 3, 5, 16, 17, 100] {
            let (_, parts) = try UL.read(bytes, chunk: chunk)
            #expect(parts == whole)
        }
    }

    @Test("a cut anywhere: every message before the cut is delivered and the cut is reported at its message")
    func truncation() throws {
        let bytes = UL.sample()
        // Message boundaries of the intact sample.
        var starts: [Int] = []
        var i = 16
        while i < bytes.count {
            starts.append(i)
            i += 3 + Int(bytes[i]) + Int(bytes[i + 1]) << 8
        }
        let (_, whole) = try UL.read(bytes)
        for cut in 16..<bytes.count {
            let (reader, events) = try UL.read(Array(bytes.prefix(cut)), chunk: cut % 7 + 1)
            if let inside = starts.last(where: { $0 < cut }), !starts.contains(cut) {
                #expect(reader.truncation?.offset == inside, "cut \(cut)")
                #expect(reader.truncation?.droppedBytes == cut - inside)
            } else {
                #expect(reader.truncation == nil)
            }
            #expect(Array(whole.prefix(events.count)) == events, "cut \(cut): events must be a prefix")
        }
        #expect(throws: LogReadError.self) { try UL.read(Array(bytes.prefix(15))) }
    }

    @Test("not a ULog, or unknown incompatible flags: a typed error")
    func fatalErrors() {
        do {
            _ = try UL.read([UInt8](repeating: 0x41, count: 40))
            Issue.record("expected bad-magic")
        } catch let error as LogReadError {
            #expect(error.code == .badMagic)
        } catch { Issue.record("\(error)") }
        do {
            _ = try UL.read(UL.header() + UL.flags(incompat: 2))
            Issue.record("expected incompatible-flags")
        } catch let error as LogReadError {
            #expect(error.code == .incompatibleFlags && error.offset == 16)
        } catch { Issue.record("\(error)") }
    }

    @Test("appended data: a message that runs over the offset is dropped, reading goes on at the offset")
    func appendedData() throws {
        var b = UL.header()
        let flagsAt = b.count
        b += UL.flags(incompat: 1, appended: [0])  // patched below
        b += UL.format("t:uint64_t timestamp;float x;")
        b += UL.subscribe("t", msgID: 1)
        for i in 0..<3 { b += UL.data(1, UL.le(UInt64(10 + i)) + UL.le(Float(i).bitPattern)) }
        // A crash cuts the next message in half; the appended data starts right after the cut.
        let half = UL.data(1, UL.le(UInt64(99)) + UL.le(Float(9).bitPattern)).prefix(7)
        b += half
        let appendedAt = b.count
        for i in 3..<5 { b += UL.data(1, UL.le(UInt64(10 + i)) + UL.le(Float(i).bitPattern)) }
        let offsetBytes = UL.le(UInt64(appendedAt))
        for k in 0..<8 { b[flagsAt + 3 + 16 + k] = offsetBytes[k] }
        let (reader, events) = try UL.read(b, chunk: 5)
        #expect(events.filter { $0.hasPrefix("D ") }.map { $0.split(separator: " ")[2] } == ["10", "11", "12", "13", "14"])
        #expect(reader.flagBits?.hasAppendedData == true)
        #expect(reader.statistics.skippedBytes == 7)
        #expect(reader.truncation == nil)
    }

    @Test("after a corrupt header the reader goes on at the next sync message")
    func corruptResync() throws {
        var b = UL.header()
        b += UL.format("t:uint64_t timestamp;float x;")
        b += UL.subscribe("t", msgID: 1)
        b += UL.data(1, UL.le(UInt64(1)) + UL.le(Float(1).bitPattern))
        let junk: [UInt8] = [0, 0, 0, 0xFF, 0xFF, 0x01, 5, 6, 7]
        b += junk
        b += UL.message("S", ULogReader.syncBytes)
        b += UL.data(1, UL.le(UInt64(2)) + UL.le(Float(2).bitPattern))
        let (reader, events) = try UL.read(b)
        #expect(events.filter { $0.hasPrefix("D ") }.count == 2)
        #expect(reader.statistics.resyncs == 1)
        #expect(reader.statistics.skippedBytes == junk.count + 3 + 8)
    }

    @Test("the real logs: as many data messages and topics as pyulog 1.3.0 reads", arguments: [
        ("pyulog__sample.ulg", 64542, 15), ("pyulog__sample_log_small.ulg", 14604, 70),
    ])
    func realLogs(name: String, dataMessages: Int, series: Int) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.realData.appendingPathComponent(name)))
        var reader = ULogReader()
        var keys = Set<String>()
        var batcher = ULogBatcher(rowsPerBatch: 1000)
        var rows = 0
        try reader.feed(bytes) { event in
            if case .data(let d) = event {
                keys.insert(d.subscription.seriesKey)
                batcher.append(d) { rows += $0.count }
            }
        }
        try reader.finish { _ in }
        batcher.flush { rows += $0.count }
        #expect(reader.statistics.dataMessages == dataMessages)
        #expect(keys.count == series)
        #expect(rows == dataMessages)
        #expect(reader.truncation == nil && reader.diagnostics.count == 0)
    }
}
