import FurrowWire

/// Makes the frames in an input valid, so that mutations explore frames instead of failing CRCs.
///
/// Walks the bytes like a naive parser: at each start byte whose claimed frame fits, writes the correct CRC
/// (with the message's CRC_EXTRA, or 0 for an unknown id, which the framer then passes as `.unknown`) and,
/// for a v2 frame with the signed flag, the signature under `SigningMode.key`; then jumps past the frame.
/// Incompatibility flags and signature timestamps are left as the fuzzer wrote them.
enum FrameFixer {
    /// A fixed-up copy in an allocation of exactly the input's size; the caller deallocates it.
    static func fixed(_ input: UnsafeRawBufferPointer) -> UnsafeMutableRawBufferPointer {
        let b = UnsafeMutableRawBufferPointer.allocate(byteCount: input.count, alignment: 1)
        if input.count > 0 { b.copyMemory(from: input) }
        let n = b.count
        var i = 0
        while i < n {
            let header: Int
            let total: Int
            let id: UInt32
            if b[i] == 0xFE, i + 8 <= n {
                header = 6
                total = Int(b[i + 1]) + 8
                id = UInt32(b[i + 5])
            } else if b[i] == 0xFD, i + 12 <= n {
                header = 10
                total = Int(b[i + 1]) + 12 + (b[i + 2] & 0x01 != 0 ? 13 : 0)
                id = UInt32(b[i + 7]) | UInt32(b[i + 8]) << 8 | UInt32(b[i + 9]) << 16
            } else {
                i += 1
                continue
            }
            guard i + total <= n else {
                i += 1
                continue
            }
            let end = i + header + Int(b[i + 1])
            var crc = CRC16MCRF4XX()
            crc.update(UnsafeRawBufferPointer(rebasing: b[(i + 1)..<end]))
            crc.update(byte: dialect.message(id: id)?.crcExtra ?? 0)
            b[end] = UInt8(crc.value & 0xFF)
            b[end + 1] = UInt8(crc.value >> 8)
            if header == 10, b[i + 2] & 0x01 != 0 {
                let signature = SigningMode.signature(of: UnsafeRawBufferPointer(rebasing: b[i..<(i + total - 6)]))
                for k in 0..<6 { b[i + total - 6 + k] = signature[k] }
            }
            i += total
        }
        return b
    }
}
