/// A join-request (OTAA): JoinEUI (AppEUI in 1.0), DevEUI and DevNonce, in the clear, MIC under the AppKey.
public struct LoRaWANJoinRequest: Sendable, Hashable {
    public let joinEUI: LoRaWANEUI
    public let devEUI: LoRaWANEUI
    /// The nonce as sent (little-endian on air).
    public let devNonce: UInt16
    public let mic: [UInt8]
    public let phyPayload: [UInt8]

    init(_ bytes: [UInt8]) throws(LoRaWANError) {
        guard bytes.count == 23 else {
            throw LoRaWANError(code: bytes.count < 23 ? .truncated : .malformed, reason: "a join-request is 23 bytes, got \(bytes.count)")
        }
        joinEUI = try LoRaWANEUI(littleEndian: bytes[1..<9])
        devEUI = try LoRaWANEUI(littleEndian: bytes[9..<17])
        devNonce = UInt16(bytes[17]) | UInt16(bytes[18]) << 8
        mic = Array(bytes[19..<23])
        phyPayload = bytes
    }

    /// Whether the MIC is `aes128_cmac(AppKey, MHDR | JoinEUI | DevEUI | DevNonce)[0..<4]`.
    public func verifyMIC(appKey: LoRaWANKey) throws(LoRaWANError) -> Bool {
        try Array(AESCMAC(key: appKey).mac(phyPayload.prefix(19)).prefix(4)) == mic
    }
}
