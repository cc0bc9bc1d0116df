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
