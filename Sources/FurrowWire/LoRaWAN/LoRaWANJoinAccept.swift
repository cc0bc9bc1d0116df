/// A decrypted join-accept and the session keys it leads to (LoRaWAN 1.0.x §6.2.5).
public struct LoRaWANJoinAccept: Sendable, Hashable {
    /// AppNonce (JoinNonce), 3 bytes as sent.
    public let appNonce: [UInt8]
    /// NetID, 3 bytes as sent.
    public let netID: [UInt8]
    public let devAddr: UInt32
    public let dlSettings: UInt8
    public let rxDelay: UInt8
    /// Optional list of extra channels (16 bytes) or empty.
    public let cfList: [UInt8]

    /// Decrypts a join-accept with the AppKey and checks its MIC.
    ///
    /// The network encrypts with AES *decryption*, so the device (and this function) decrypts with AES
    /// encryption of each 16-byte block.
    /// - Throws: `.micMismatch` for a wrong AppKey, `.truncated`/`.malformed` for a wrong size.
    public static func decrypt(_ phyPayload: [UInt8], appKey: LoRaWANKey) throws(LoRaWANError) -> LoRaWANJoinAccept {
        guard phyPayload.count == 17 || phyPayload.count == 33, phyPayload.first.map({ $0 >> 5 }) == 1 else {
            throw LoRaWANError(code: .malformed, reason: "not a 17- or 33-byte join-accept")
        }
        var plain = [phyPayload[0]]
        var i = 1
        while i < phyPayload.count {
            plain += try appKey.encrypt(block: Array(phyPayload[i..<i + 16]))
            i += 16
        }
        let mic = Array(plain.suffix(4))
        let computed = Array(try AESCMAC(key: appKey).mac(plain.dropLast(4)).prefix(4))
        guard computed == mic else {
            throw LoRaWANError(code: .micMismatch, reason: "join-accept MIC mismatch (wrong AppKey?)")
        }
        let devAddr = UInt32(plain[7]) | UInt32(plain[8]) << 8 | UInt32(plain[9]) << 16 | UInt32(plain[10]) << 24
        return LoRaWANJoinAccept(appNonce: Array(plain[1..<4]), netID: Array(plain[4..<7]), devAddr: devAddr,
                                 dlSettings: plain[11], rxDelay: plain[12], cfList: Array(plain[13..<(plain.count - 4)]))
    }

    /// NwkSKey and AppSKey: `aes128_encrypt(AppKey, 0x01|0x02 | AppNonce | NetID | DevNonce | pad16)`.
    public func sessionKeys(appKey: LoRaWANKey, devNonce: UInt16) throws(LoRaWANError) -> (nwkSKey: LoRaWANKey, appSKey: LoRaWANKey) {
        func derive(_ prefix: UInt8) throws(LoRaWANError) -> LoRaWANKey {
            var block = [prefix] + appNonce + netID + [UInt8(truncatingIfNeeded: devNonce), UInt8(devNonce >> 8)]
            block += [UInt8](repeating: 0, count: 16 - block.count)
            return try LoRaWANKey(bytes: try appKey.encrypt(block: block))
        }
        return (try derive(0x01), try derive(0x02))
    }
}
