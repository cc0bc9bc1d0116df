/// A LoRaWAN 1.0.x PHYPayload (`rxpk.data`), split into its parts but not yet checked or decrypted.
public enum LoRaWANFrame: Sendable, Hashable {
    case data(LoRaWANDataFrame)
    case joinRequest(LoRaWANJoinRequest)
    /// A join-accept; encrypted with the AppKey (see `LoRaWANJoinAccept.decrypt`).
    case joinAccept(encrypted: [UInt8])
    /// Rejoin requests (1.1) and proprietary frames, kept whole.
    case other(LoRaWANMessageType, [UInt8])

    /// Splits a PHYPayload.
    ///
    /// - Throws: `.truncated` when shorter than its type needs, `.malformed` for an FOptsLen that runs past
    ///   the MIC or a join frame of the wrong size, `.unsupportedVersion` for a major version other than
    ///   LoRaWAN R1 (0).
    public static func parse(_ payload: some Collection<UInt8>) throws(LoRaWANError) -> LoRaWANFrame {
        let bytes = Array(payload)
        guard let mhdr = bytes.first else {
            throw LoRaWANError(code: .truncated, reason: "empty PHYPayload")
        }
        guard let type = LoRaWANMessageType(rawValue: mhdr >> 5) else {
            throw LoRaWANError(code: .malformed, reason: "MHDR 0x\(String(mhdr, radix: 16))")
        }
        if type == .proprietary { return .other(type, bytes) }
        guard mhdr & 0x03 == 0 else {
            throw LoRaWANError(code: .unsupportedVersion, reason: "LoRaWAN major version \(mhdr & 0x03) in MHDR; only R1 (0) exists")
        }
        switch type {
        case .joinRequest:
            return .joinRequest(try LoRaWANJoinRequest(bytes))
        case .joinAccept:
            guard bytes.count == 17 || bytes.count == 33 else {
                throw LoRaWANError(code: bytes.count < 17 ? .truncated : .malformed,
                                   reason: "a join-accept is 17 or 33 bytes, got \(bytes.count)")
            }
            return .joinAccept(encrypted: bytes)
        case .rejoinRequest, .proprietary:
            return .other(type, bytes)
        default:
            return .data(try LoRaWANDataFrame(bytes))
        }
    }
}
