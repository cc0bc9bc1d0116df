import Crypto
import _CryptoExtras

/// A 128-bit AES key: NwkSKey, AppSKey or AppKey.
public struct LoRaWANKey: Sendable {
    /// The key bytes.
    public let bytes: [UInt8]
    let symmetric: SymmetricKey

    /// From 16 bytes; throws `.invalidKey` for another length.
    public init(bytes: [UInt8]) throws(LoRaWANError) {
        guard bytes.count == 16 else {
            throw LoRaWANError(code: .invalidKey, reason: "an AES-128 key has 16 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
        self.symmetric = SymmetricKey(data: bytes)
    }

    /// From 32 hex digits as consoles show keys (spaces and colons allowed).
    public init(hex: String) throws(LoRaWANError) {
        guard let bytes = LoRaWANKey.hexBytes(hex), bytes.count == 16 else {
            throw LoRaWANError(code: .invalidKey, reason: "a key is 32 hex digits; \"\(hex.prefix(48))\" is not")
        }
        try self.init(bytes: bytes)
    }

    /// Hex text to bytes; nil for odd lengths or non-hex characters.
    static func hexBytes(_ text: String) -> [UInt8]? {
        var digits: [UInt8] = []
        for scalar in text.unicodeScalars where scalar != " " && scalar != ":" {
            guard let value = hexValue(scalar) else { return nil }
            digits.append(value)
        }
        guard digits.count % 2 == 0 else { return nil }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    static func hexValue(_ s: Unicode.Scalar) -> UInt8? {
        switch s {
        case "0"..."9": UInt8(s.value - 48)
        case "a"..."f": UInt8(s.value - 87)
        case "A"..."F": UInt8(s.value - 55)
        default: nil
        }
    }

    /// AES-128 in the encryption direction on one 16-byte block.
    func encrypt(block: [UInt8]) throws(LoRaWANError) -> [UInt8] {
        var out = block
        do {
            try AES.permute(&out, key: symmetric)
        } catch {
            throw LoRaWANError(code: .crypto, reason: "AES block encryption failed: \(error)")
        }
        return out
    }
}

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
