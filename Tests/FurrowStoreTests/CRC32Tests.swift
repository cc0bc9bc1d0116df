import Testing

@testable import FurrowStore

@Suite("CRC-32 (zlib)")
struct CRC32Tests {
    @Test("check value of '123456789' is 0xCBF43926 (the catalogued CRC-32/ISO-HDLC check)")
    func checkValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    /// Outputs of Python's `zlib.crc32` (zlib 1.2.13) for the same inputs.
    @Test("matches Python's zlib.crc32 on known inputs")
    func pythonValues() {
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("a".utf8)) == 0xE8B7_BE43)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        let ramp = (0..<4).flatMap { _ in (0...255).map { UInt8($0) } }
        #expect(CRC32.checksum(ramp) == 0xB70B_4C26)
    }

    @Test("slicing-by-8 equals the bitwise reference for every length 0...300 and any split")
    func slicingMatchesReference() {
        var rng = SplitMix64(seed: 11)
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let reference = Self.bitwise(bytes)
            #expect(CRC32.checksum(bytes) == reference, "length \(length)")
            let cut = Int.random(in: 0...length, using: &rng)
            var split = CRC32()
            split.update(Array(bytes[..<cut]))
            split.update(Array(bytes[cut...]))
            #expect(split.value == reference, "length \(length) split at \(cut)")
        }
    }

    /// The textbook bit-at-a-time CRC-32.
    static func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
