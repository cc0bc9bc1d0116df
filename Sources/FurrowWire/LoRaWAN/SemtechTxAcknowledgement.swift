import Foundation

/// The JSON of a TX_ACK: `{"txpk_ack":{"error":"NONE"}}`; an empty body means success.
public struct SemtechTxAcknowledgement: Sendable, Hashable {
    /// "NONE" on success, else TOO_LATE, TOO_EARLY, COLLISION_PACKET, COLLISION_BEACON, TX_FREQ, TX_POWER, GPS_UNLOCKED.
    public let error: String
    /// A warning some forwarders add (e.g. TX_POWER when the power was clamped).
    public let warning: String?

    /// Whether the gateway will transmit the packet.
    public var succeeded: Bool { error == "NONE" }

    struct Wire: Decodable {
        struct Ack: Decodable {
            let error: String?
            let warn: String?
        }
        let txpk_ack: Ack?
    }

    /// Decodes a TX_ACK body; an empty body is success.
    public static func decode(json: [UInt8]) throws(LoRaWANError) -> SemtechTxAcknowledgement {
        let trimmed = json.filter { $0 != 0 && $0 != 0x20 && $0 != 0x0A && $0 != 0x0D }
        guard !trimmed.isEmpty else { return SemtechTxAcknowledgement(error: "NONE", warning: nil) }
        do {
            let wire = try JSONDecoder().decode(Wire.self, from: Data(json))
            return SemtechTxAcknowledgement(error: wire.txpk_ack?.error ?? "NONE", warning: wire.txpk_ack?.warn)
        } catch {
            throw LoRaWANError(code: .invalidJSON, reason: "TX_ACK JSON: \(SemtechPushData.describe(error))")
        }
    }
}
