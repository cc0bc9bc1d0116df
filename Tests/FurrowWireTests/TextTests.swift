import Testing
@testable import FurrowWire

/// Expected values are what CPython 3.11 prints for
/// `bytes(b).split(b"\x00", 1)[0].decode("ascii", errors="replace")`, the expression pymavlink 2.4.50's
/// generated dialects apply to every `char[N]` field.
@Suite("char[N] text decoding")
struct TextTests {
    @Test("stops at the first NUL; every byte above 0x7F becomes U+FFFD, as pymavlink shows it")
    func pymavlinkAsciiReplace() {
        #expect(MAVLinkValue.decodeText(Array("PreArm: GPS".utf8)) == "PreArm: GPS")
        #expect(MAVLinkValue.decodeText([0x61, 0xFF, 0x62]) == "a\u{FFFD}b")
        #expect(MAVLinkValue.decodeText([0xC3, 0xA9]) == "\u{FFFD}\u{FFFD}")  // UTF-8 é is two bytes, two marks
        #expect(MAVLinkValue.decodeText([0x61, 0x00, 0x62]) == "a")
        #expect(MAVLinkValue.decodeText([0x00, 0x41]) == "")
        #expect(MAVLinkValue.decodeText([0x41, 0x42, 0x00, 0x00]) == "AB")
    }

    @Test("decoded char[N] values keep the bytes before the first NUL")
    func messageTextBytes() throws {
        let info = try #require(MAVLinkDialect.ardupilotmega.message(named: "STATUSTEXT"))
        var payload = [UInt8](repeating: 0, count: info.maxLength)
        payload[0] = 6  // severity
        let text: [UInt8] = [0x47, 0x50, 0x53, 0x00, 0x21, 0xE9]
        payload.replaceSubrange(1..<(1 + text.count), with: text)
        let message = payload.withUnsafeBytes { MAVLinkMessage(info: info, payload: $0) }
        let value = try #require(message["text"])
        #expect(value == .text([0x47, 0x50, 0x53]))
        #expect(value.text == "GPS")
    }
}
