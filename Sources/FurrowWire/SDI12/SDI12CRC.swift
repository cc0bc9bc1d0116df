/// The SDI-12 data CRC (v1.4 §4.4.12): CRC-16/ARC over address and data, sent as three printable characters.
///
/// Sensors append it to D and R responses after the CRC variants of M, C and R (`aMC!`, `aCC!`, `aRC0!`).
/// The polynomial is 0xA001 (reflected 0x8005), the initial value 0, no final XOR; the 16 bits travel as
/// `0x40 | bits 15–12`, `0x40 | bits 11–6`, `0x40 | bits 5–0`, so `0+3.14` is sent as `0+3.14OqZ<CR><LF>`.
public enum SDI12CRC {
    /// The CRC-16 of `bytes` (the response from its address up to the last data character).
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1
            }
        }
        return crc
    }

    /// The three ASCII characters that carry `crc` on the wire.
    public static func encode(_ crc: UInt16) -> [UInt8] {
        [
            0x40 | UInt8(truncatingIfNeeded: crc >> 12),
            0x40 | UInt8(truncatingIfNeeded: (crc >> 6) & 0x3F),
            0x40 | UInt8(truncatingIfNeeded: crc & 0x3F),
        ]
    }

    /// The CRC carried by three characters, or nil when they are not CRC characters (0x40–0x4F, 0x40–0x7F, 0x40–0x7F).
    public static func decode(_ chars: some Collection<UInt8>) -> UInt16? {
        guard chars.count == 3 else { return nil }
        var it = chars.makeIterator()
        guard let a = it.next(), let b = it.next(), let c = it.next() else { return nil }
        guard a & 0xF0 == 0x40, b & 0xC0 == 0x40, c & 0xC0 == 0x40 else { return nil }
        return UInt16(a & 0x0F) << 12 | UInt16(b & 0x3F) << 6 | UInt16(c & 0x3F)
    }

    /// Appends the CRC characters to a response body (address + data), as a sensor does before `<CR><LF>`.
    public static func appending(to body: [UInt8]) -> [UInt8] {
        body + encode(checksum(body))
    }
}
