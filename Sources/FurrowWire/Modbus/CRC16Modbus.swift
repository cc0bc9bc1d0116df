/// CRC-16/MODBUS, the check on every Modbus RTU frame: poly 0xA001 (reflected 0x8005), init 0xFFFF, no final XOR.
///
/// The CRC goes on the wire low byte first, so `01 03 00 00 00 01` is followed by `84 0A` (value 0x0A84).
/// Table-driven, one lookup per byte; Modbus frames are at most 256 bytes.
public enum CRC16Modbus {
    /// The CRC of `bytes` from the initial value 0xFFFF.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc = (crc >> 8) ^ table[Int(UInt8(truncatingIfNeeded: crc) ^ byte)]
        }
        return crc
    }

    /// `bytes` with their CRC appended low byte first: a complete RTU frame.
    public static func appending(to bytes: [UInt8]) -> [UInt8] {
        let crc = checksum(bytes)
        return bytes + [UInt8(truncatingIfNeeded: crc), UInt8(truncatingIfNeeded: crc >> 8)]
    }

    /// Whether the last two bytes of `frame` are the CRC (low byte first) of the bytes before them.
    public static func isValid(frame: some Collection<UInt8>) -> Bool {
        guard frame.count >= 3 else { return false }
        let body = frame.dropLast(2)
        let tail = Array(frame.suffix(2))
        return checksum(body) == UInt16(tail[0]) | UInt16(tail[1]) << 8
    }

    static let table: [UInt16] = (0..<256).map { n in
        var crc = UInt16(n)
        for _ in 0..<8 {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1
        }
        return crc
    }
}
