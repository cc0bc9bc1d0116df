import Foundation
import FurrowWire
import Testing

@testable import FurrowIngest

@Suite("Replay rewriting")
struct ReplayRewriterTests {
    static let dialect = MAVLinkDialect.ardupilotmega

    /// One frame of `name` from system `sys`, fields set by `write`.
    func frame(_ name: String, sys: UInt8 = 7, version: MAVLinkVersion = .v2, _ write: (inout MAVLinkPayloadWriter, MAVLinkMessageInfo) -> Void = { _, _ in }) throws -> [UInt8] {
        var encoder = MAVLinkEncoder(version: version, systemID: sys, componentID: 1)
        let info = try #require(Self.dialect.message(named: name))
        var out: [UInt8] = []
        try encoder.encode(info, into: &out) { write(&$0, info) }
        return out
    }

    /// The frames a framer finds in `bytes`, as (message id, system id, bytes).
    func frames(_ bytes: [UInt8]) -> [(UInt32, UInt8, [UInt8])] {
        var framer = MAVLinkFramer()
        var found: [(UInt32, UInt8, [UInt8])] = []
        framer.feed(bytes) { found.append(($0.messageID, $0.systemID, $0.bytes)) }
        framer.finish { found.append(($0.messageID, $0.systemID, $0.bytes)) }
        return found
    }

    @Test("identity: nothing changes, noise included")
    func identity() throws {
        let bytes = [0x55, 0xAA] + (try frame("HEARTBEAT")) + [1, 2, 3]
        var rewriter = ReplayRewriter(rewrite: ReplayRewrite())
        #expect(rewriter.apply(bytes, receivedAt: 0, now: 0) == bytes)
    }

    @Test("sysid: every frame gets the new id with a valid CRC, v1 and v2; noise stays without a filter")
    func systemID() throws {
        let v2 = try frame("ATTITUDE") { w, info in w.set(MAVLinkFieldSlot(info.fields[info.fieldIndex(named: "roll")!]), Float(0.5)) }
        let v1 = try frame("HEARTBEAT", version: .v1)
        var rewriter = ReplayRewriter(rewrite: try ReplayRewrite(systemID: 42))
        let out = rewriter.apply([9] + v2 + v1 + [8], receivedAt: 0, now: 0)
        let found = frames(out)
        #expect(found.map(\.1) == [42, 42])
        #expect(found.map(\.0) == [30, 0])
        #expect(out.first == 9 && out.last == 8)
        #expect(out.count == v2.count + v1.count + 2)
    }

    @Test("sysid on a signed frame drops the signature and clears the flag")
    func signed() throws {
        var signed = try frame("HEARTBEAT")
        signed[2] = 0x01
        // Recompute the CRC over the flagged header, then append a (fake) 13-byte signature.
        let payloadEnd = 10 + Int(signed[1])
        var crc = CRC16MCRF4XX()
        crc.update(signed[1..<payloadEnd])
        crc.update(byte: Self.dialect.message(named: "HEARTBEAT")!.crcExtra)
        signed[payloadEnd] = UInt8(truncatingIfNeeded: crc.value)
        signed[payloadEnd + 1] = UInt8(truncatingIfNeeded: crc.value >> 8)
        signed += [UInt8](repeating: 0x33, count: 13)
        #expect(frames(signed).count == 1)
        var rewriter = ReplayRewriter(rewrite: try ReplayRewrite(systemID: 3))
        let out = rewriter.apply(signed, receivedAt: 0, now: 0)
        #expect(out.count == signed.count - 13)
        #expect(out[2] == 0)
        #expect(frames(out).map(\.1) == [3])
    }

    @Test("only/exclude keep exactly the chosen messages in order and drop noise")
    func filters() throws {
        let stream = try frame("HEARTBEAT") + [0xFD, 0x00] + frame("ATTITUDE") + frame("SYS_STATUS") + frame("HEARTBEAT")
        var only = ReplayRewriter(rewrite: try ReplayRewrite(only: ["HEARTBEAT", "sys_status"]))
        let a = only.apply(stream, receivedAt: 0, now: 0)
        #expect(frames(a).map(\.0) == [0, 1, 0])
        #expect(a.count == frames(a).map(\.2.count).reduce(0, +))
        var exclude = ReplayRewriter(rewrite: try ReplayRewrite(exclude: ["HEARTBEAT"]))
        #expect(frames(exclude.apply(stream, receivedAt: 0, now: 0)).map(\.0) == [30, 1])
        #expect(throws: ReplayError.self) { try ReplayRewrite(only: ["NOT_A_MESSAGE"]) }
    }

    @Test("a frame split over two records goes out whole with the second")
    func split() throws {
        let f = try frame("ATTITUDE")
        var rewriter = ReplayRewriter(rewrite: try ReplayRewrite(systemID: 5))
        let first = rewriter.apply([7] + Array(f[0..<10]), receivedAt: 0, now: 0)
        #expect(first == [7])
        let second = rewriter.apply(Array(f[10...]), receivedAt: 1, now: 1)
        #expect(frames(second).map(\.1) == [5])
        #expect(rewriter.finish().isEmpty)
    }

    @Test("timestamps now shifts SYSTEM_TIME's Unix time, not boot times")
    func timestamps() throws {
        let unix: UInt64 = 1_700_000_000_000_000
        let f = try frame("SYSTEM_TIME") { w, info in
            w.set(MAVLinkFieldSlot(info.fields[info.fieldIndex(named: "time_unix_usec")!]), unix)
            w.set(MAVLinkFieldSlot(info.fields[info.fieldIndex(named: "time_boot_ms")!]), UInt32(1234))
        }
        let boot = try frame("GPS_RAW_INT") { w, info in
            w.set(MAVLinkFieldSlot(info.fields[info.fieldIndex(named: "time_usec")!]), UInt64(5_000_000))
        }
        var rewriter = ReplayRewriter(rewrite: try ReplayRewrite(timestampsNow: true))
        let out = rewriter.apply(f + boot, receivedAt: 1_700_000_000_100_000, now: 1_800_000_000_100_000)
        let found = frames(out)
        #expect(found.count == 2)
        let payload = Array(found[0].2[10..<(10 + Int(found[0].2[1]))]) + [UInt8](repeating: 0, count: 12)
        let shifted = (0..<8).reduce(UInt64(0)) { $0 | UInt64(payload[$1]) << (8 * UInt64($1)) }
        #expect(shifted == unix + 100_000_000_000_000)
        #expect(found[1].2 == boot)
    }
}
