import Foundation

/// The JSON body of a PUSH_DATA: received radio packets (`rxpk`) and/or the gateway's status (`stat`).
public struct SemtechPushData: Sendable, Hashable, Decodable {
    /// Packets the gateway received since its last PUSH_DATA.
    public let rxpk: [SemtechRxPacket]
    /// Gateway statistics, sent every `stat_interval`.
    public let stat: SemtechGatewayStatus?

    public init(rxpk: [SemtechRxPacket] = [], stat: SemtechGatewayStatus? = nil) {
        self.rxpk = rxpk
        self.stat = stat
    }

    enum CodingKeys: String, CodingKey { case rxpk, stat }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rxpk = try c.decodeIfPresent([SemtechRxPacket].self, forKey: .rxpk) ?? []
        stat = try c.decodeIfPresent(SemtechGatewayStatus.self, forKey: .stat)
    }

    /// Decodes the JSON of a PUSH_DATA.
    ///
    /// - Throws: `.invalidJSON` naming the field at fault, `.invalidBase64` for a bad `data`.
    public static func decode(json: [UInt8]) throws(LoRaWANError) -> SemtechPushData {
        do {
            return try JSONDecoder().decode(SemtechPushData.self, from: Data(json))
        } catch let error as LoRaWANError {
            throw error
        } catch {
            throw LoRaWANError(code: .invalidJSON, reason: "PUSH_DATA JSON: \(SemtechPushData.describe(error))")
        }
    }

    /// A short, user-facing account of a decoding error: the path and what was wrong.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
            return "\(path(ctx.codingPath)): \(ctx.debugDescription)"
        case .keyNotFound(let key, let ctx):
            return "\(path(ctx.codingPath)).\(key.stringValue) is missing"
        @unknown default:
            return "\(error)"
        }
    }
}
