/// AES-CMAC (RFC 4493), the MIC function of LoRaWAN 1.0.x.
public struct AESCMAC: Sendable {
    let key: LoRaWANKey
    let k1: [UInt8]
    let k2: [UInt8]

    /// Derives the subkeys K1 and K2 from `key` (RFC 4493 §2.3).
    public init(key: LoRaWANKey) throws(LoRaWANError) {
        self.key = key
        let l = try key.encrypt(block: [UInt8](repeating: 0, count: 16))
        k1 = AESCMAC.doubled(l)
        k2 = AESCMAC.doubled(k1)
    }

    /// Multiplication by x in GF(2^128): shift left one bit, XOR 0x87 if the top bit fell out.
    static func doubled(_ block: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        var carry: UInt8 = 0
        for i in stride(from: 15, through: 0, by: -1) {
            out[i] = block[i] << 1 | carry
            carry = block[i] >> 7
        }
        if carry != 0 { out[15] ^= 0x87 }
        return out
    }

    /// The 16-byte MAC of `message`.
    public func mac(_ message: some Collection<UInt8>) throws(LoRaWANError) -> [UInt8] {
        let bytes = Array(message)
        let blocks = max(1, (bytes.count + 15) / 16)
        let complete = !bytes.isEmpty && bytes.count % 16 == 0
        var x = [UInt8](repeating: 0, count: 16)
        for b in 0..<blocks {
            var block = [UInt8](repeating: 0, count: 16)
            let start = b * 16
            let end = min(start + 16, bytes.count)
            for i in start..<end { block[i - start] = bytes[i] }
            if b == blocks - 1 {
                if complete {
                    for i in 0..<16 { block[i] ^= k1[i] }
                } else {
                    block[end - start] = 0x80
                    for i in 0..<16 { block[i] ^= k2[i] }
                }
            }
            for i in 0..<16 { x[i] ^= block[i] }
            x = try key.encrypt(block: x)
        }
        return x
    }
}
