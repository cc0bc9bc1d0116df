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
