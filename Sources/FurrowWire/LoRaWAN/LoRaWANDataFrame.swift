/// A data frame (confirmed or unconfirmed, up or down): MHDR | FHDR | FPort | FRMPayload | MIC.
public struct LoRaWANDataFrame: Sendable, Hashable {
    /// The frame control byte.
    public struct FCtrl: Sendable, Hashable {
        public let rawValue: UInt8
        /// Adaptive data rate enabled.
        public var adr: Bool { rawValue & 0x80 != 0 }
        /// Uplink: the device asks the network to answer so it knows ADR still works.
        public var adrAckRequest: Bool { rawValue & 0x40 != 0 }
        /// Acknowledges the last confirmed frame.
        public var ack: Bool { rawValue & 0x20 != 0 }
        /// Downlink: more data pending; uplink (1.0.2+): Class B enabled.
        public var pendingOrClassB: Bool { rawValue & 0x10 != 0 }
        /// Length of FOpts (0–15).
        public var fOptsLength: Int { Int(rawValue & 0x0F) }
    }

    public let messageType: LoRaWANMessageType
    /// The device address (shown most significant first, sent little-endian).
    public let devAddr: UInt32
    public let fCtrl: FCtrl
    /// The low 16 bits of the frame counter as sent.
    public let fCnt: UInt16
    /// MAC commands piggybacked in the header (plain text in 1.0.x).
    public let fOpts: [UInt8]
    /// The port, absent when there is no payload; 0 means MAC commands in FRMPayload.
    public let fPort: UInt8?
    /// The encrypted application (or MAC) payload.
    public let frmPayload: [UInt8]
    /// The message integrity code, as the four bytes sent.
    public let mic: [UInt8]
    /// The whole PHYPayload, for MIC computation.
    public let phyPayload: [UInt8]

    /// Whether the frame travels from device to network.
    public var isUplink: Bool { messageType.isUplink }

    /// The MIC as a number (first byte least significant), for keys such as de-duplication.
    public var micValue: UInt32 {
        mic.enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * $1.offset) }
    }

    init(_ bytes: [UInt8]) throws(LoRaWANError) {
        guard bytes.count >= 12 else {
            throw LoRaWANError(code: .truncated, reason: "a data frame has at least 12 bytes (MHDR, DevAddr, FCtrl, FCnt, MIC), got \(bytes.count)")
        }
        guard let type = LoRaWANMessageType(rawValue: bytes[0] >> 5) else {
            throw LoRaWANError(code: .malformed, reason: "MHDR")
        }
        messageType = type
        devAddr = UInt32(bytes[1]) | UInt32(bytes[2]) << 8 | UInt32(bytes[3]) << 16 | UInt32(bytes[4]) << 24
        fCtrl = FCtrl(rawValue: bytes[5])
        fCnt = UInt16(bytes[6]) | UInt16(bytes[7]) << 8
        let optsEnd = 8 + fCtrl.fOptsLength
        let micStart = bytes.count - 4
        guard optsEnd <= micStart else {
            throw LoRaWANError(code: .malformed, reason: "FOptsLen \(fCtrl.fOptsLength) runs past the MIC in a \(bytes.count)-byte frame")
        }
        fOpts = Array(bytes[8..<optsEnd])
        if optsEnd < micStart {
            let port = bytes[optsEnd]
            if port == 0 && optsEnd > 8 {
                throw LoRaWANError(code: .malformed, reason: "MAC commands in both FOpts and FRMPayload (FPort 0) are not allowed")
            }
            fPort = port
            frmPayload = Array(bytes[(optsEnd + 1)..<micStart])
        } else {
            fPort = nil
            frmPayload = []
        }
        mic = Array(bytes[micStart...])
        phyPayload = bytes
    }

    // MARK: - Security

    /// The MIC the frame should carry under `key` (NwkSKey) with the full 32-bit frame counter.
    ///
    /// `cmac = aes128_cmac(NwkSKey, B0 | msg)`, `B0 = 0x49 | 0x00×4 | Dir | DevAddr | FCntUp/Down | 0x00 | len(msg)`,
    /// MIC = the first four bytes (LoRaWAN 1.0.x §4.4).
    public func computeMIC(key: LoRaWANKey, counter: UInt32) throws(LoRaWANError) -> [UInt8] {
        let message = phyPayload.dropLast(4)
        var b0: [UInt8] = [0x49, 0, 0, 0, 0, isUplink ? 0 : 1]
        b0 += Self.littleEndian(devAddr) + Self.littleEndian(counter) + [0, UInt8(truncatingIfNeeded: message.count)]
        return Array(try AESCMAC(key: key).mac(b0 + message).prefix(4))
    }

    /// Whether the MIC is right for `key` and the full frame counter `counter`.
    public func verifyMIC(key: LoRaWANKey, counter: UInt32) throws(LoRaWANError) -> Bool {
        try computeMIC(key: key, counter: counter) == mic
    }

    /// FRMPayload in plain text: AES-CTR-like keystream of blocks `A_i = 0x01 | 0x00×4 | Dir | DevAddr | FCnt | 0x00 | i`.
    ///
    /// - Parameter key: AppSKey for FPort 1–255, NwkSKey for FPort 0 (MAC commands) — `open(…)` picks it.
    public func decryptPayload(key: LoRaWANKey, counter: UInt32) throws(LoRaWANError) -> [UInt8] {
        var out = frmPayload
        var i = 0
        var blockIndex: UInt8 = 1
        while i < out.count {
            let a: [UInt8] = [0x01, 0, 0, 0, 0, isUplink ? 0 : 1] + Self.littleEndian(devAddr) + Self.littleEndian(counter) + [0, blockIndex]
            let s = try key.encrypt(block: a)
            for j in 0..<min(16, out.count - i) { out[i + j] ^= s[j] }
            i += 16
            blockIndex &+= 1
        }
        return out
    }

    /// Checks the MIC and decrypts: what the daemon does with each de-duplicated uplink.
    ///
    /// The 32-bit counter is rebuilt from the 16 bits sent and `lastCounter` (see `LoRaWANFrameCounter`).
    /// - Throws: `.micMismatch` naming the counter tried; `.wrongFrameType` for a downlink.
    public func open(nwkSKey: LoRaWANKey, appSKey: LoRaWANKey, lastCounter: UInt32?) throws(LoRaWANError) -> LoRaWANUplink {
        guard isUplink else {
            throw LoRaWANError(code: .wrongFrameType, reason: "open(…) takes uplinks; this is \(messageType)")
        }
        let counter = LoRaWANFrameCounter.reconstruct(fCnt, last: lastCounter)
        guard try verifyMIC(key: nwkSKey, counter: counter) else {
            throw LoRaWANError(code: .micMismatch,
                               reason: "MIC mismatch for DevAddr \(LoRaWANDataFrame.hex(devAddr)) at FCnt \(counter) (wrong NwkSKey, a counter reset, or corruption)")
        }
        let payload = try decryptPayload(key: fPort == 0 ? nwkSKey : appSKey, counter: counter)
        return LoRaWANUplink(devAddr: devAddr, counter: counter, fPort: fPort, payload: payload,
                             fOpts: fOpts, confirmed: messageType == .confirmedDataUp, fCtrl: fCtrl)
    }

    static func littleEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 24)]
    }

    static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: 8 - s.count) + s
    }
}
