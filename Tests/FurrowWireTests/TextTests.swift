import Testing
@testable import FurrowWire

@Suite("char[N] text decoding")
struct TextTests {
    @Test("valid UTF-8 decodes; invalid bytes become \\xNN as Python's backslashreplace does")
    func backslashReplace() {
        #expect(MAVLinkValue.decodeText(Array("PreArm: GPS".utf8)) == "PreArm: GPS")
        #expect(MAVLinkValue.decodeText([0x61, 0xFF, 0x62]) == "a\\xffb")
        #expect(MAVLinkValue.decodeText([0xE2, 0x82, 0x41]) == "\\xe2\\x82A")
        #expect(MAVLinkValue.decodeText([0xC3, 0xA9]) == "é")
        #expect(MAVLinkValue.decodeText([0xED, 0xA0, 0x80]) == "\\xed\\xa0\\x80")  // surrogate
        #expect(MAVLinkValue.decodeText([0xC0, 0x80]) == "\\xc0\\x80")  // overlong
        #expect(MAVLinkValue.decodeText([0x61, 0x00, 0x62]) == "a\u{0}b")
    }
}
