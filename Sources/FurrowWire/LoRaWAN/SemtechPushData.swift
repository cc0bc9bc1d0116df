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

/// One received radio packet (`rxpk`) as reported by the gateway.
public struct SemtechRxPacket: Sendable, Hashable, Decodable {
    /// The data rate: a LoRa spreading factor and bandwidth ("SF7BW125") or an FSK bit rate.
    public enum DataRate: Sendable, Hashable {
        case lora(spreadingFactor: Int, bandwidthKHz: Int)
        case fsk(bitsPerSecond: Int)
        /// A LoRa data-rate string this code does not recognise, kept as sent.
        case other(String)
    }

    /// UTC time of reception (ISO 8601) when the gateway has GPS or NTP time.
    public let time: String?
    /// Gateway's internal microsecond counter at reception (wraps every ~71 minutes).
    public let tmst: UInt32
    /// Centre frequency in MHz.
    public let freq: Double
    /// Concentrator IF channel and RF chain.
    public let chan: Int?
    public let rfch: Int?
    /// CRC status: 1 OK, -1 bad, 0 no CRC.
    public let stat: Int
    /// "LORA" or "FSK".
    public let modu: String
    public let datr: DataRate
    /// LoRa coding rate ("4/5"), absent for FSK.
    public let codr: String?
    /// Signal strength (dBm) and LoRa SNR (dB).
    public let rssi: Double
    public let lsnr: Double?
    /// Payload size the gateway reports.
    public let size: Int
    /// The PHYPayload, base64-decoded.
    public let data: [UInt8]

    public init(time: String? = nil, tmst: UInt32, freq: Double, chan: Int? = nil, rfch: Int? = nil, stat: Int = 1,
                modu: String = "LORA", datr: DataRate, codr: String? = "4/5", rssi: Double, lsnr: Double?, data: [UInt8]) {
        self.time = time
        self.tmst = tmst
        self.freq = freq
        self.chan = chan
        self.rfch = rfch
        self.stat = stat
        self.modu = modu
        self.datr = datr
        self.codr = codr
        self.rssi = rssi
        self.lsnr = lsnr
        self.size = data.count
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case time, tmst, freq, chan, rfch, stat, modu, datr, codr, rssi, lsnr, size, data
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        time = try c.decodeIfPresent(String.self, forKey: .time)
        tmst = try c.decode(UInt32.self, forKey: .tmst)
        freq = try c.decode(Double.self, forKey: .freq)
        chan = try c.decodeIfPresent(Int.self, forKey: .chan)
        rfch = try c.decodeIfPresent(Int.self, forKey: .rfch)
        stat = try c.decodeIfPresent(Int.self, forKey: .stat) ?? 1
        modu = try c.decode(String.self, forKey: .modu)
        if let text = try? c.decode(String.self, forKey: .datr) {
            datr = SemtechRxPacket.parseLoRaDataRate(text)
        } else {
            datr = .fsk(bitsPerSecond: try c.decode(Int.self, forKey: .datr))
        }
        codr = try c.decodeIfPresent(String.self, forKey: .codr)
        rssi = try c.decode(Double.self, forKey: .rssi)
        lsnr = try c.decodeIfPresent(Double.self, forKey: .lsnr)
        size = try c.decode(Int.self, forKey: .size)
        let base64 = try c.decode(String.self, forKey: .data)
        guard let bytes = Data(base64Encoded: base64) else {
            throw LoRaWANError(code: .invalidBase64, reason: "rxpk.data is not base64: \"\(base64.prefix(40))\"")
        }
        data = Array(bytes)
    }

    /// "SF7BW125" → `.lora(7, 125)`; anything else → `.other`.
    static func parseLoRaDataRate(_ text: String) -> DataRate {
        let upper = text.uppercased()
        guard upper.hasPrefix("SF"), let bw = upper.range(of: "BW"),
              let sf = Int(upper[upper.index(upper.startIndex, offsetBy: 2)..<bw.lowerBound]),
              let khz = Int(upper[bw.upperBound...])
        else { return .other(text) }
        return .lora(spreadingFactor: sf, bandwidthKHz: khz)
    }

    /// Whether the radio CRC was good (`stat` 1); frames with a bad CRC should be dropped.
    public var crcOK: Bool { stat == 1 }
}

/// Gateway statistics (`stat`) from a PUSH_DATA; every field is optional on the wire.
public struct SemtechGatewayStatus: Sendable, Hashable, Decodable {
    /// Gateway time, "2014-01-12 08:59:28 GMT".
    public let time: String?
    /// GPS position (degrees, metres) if the gateway has one.
    public let lati: Double?
    public let long: Double?
    public let alti: Double?
    /// Packets received, with a valid CRC, forwarded.
    public let rxnb: Int?
    public let rxok: Int?
    public let rxfw: Int?
    /// Percentage of upstream datagrams acknowledged.
    public let ackr: Double?
    /// Downlinks received and emitted.
    public let dwnb: Int?
    public let txnb: Int?
}

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

/// A packet for the gateway to transmit, sent as `{"txpk":{…}}` in a PULL_RESP.
public struct SemtechTxPacket: Sendable, Hashable, Encodable {
    /// Send immediately, or at the gateway counter value `tmst` (µs).
    public var imme: Bool?
    public var tmst: UInt32?
    /// Frequency (MHz), RF chain, power (dBm).
    public var freq: Double
    public var rfch: Int
    public var powe: Int
    public var modu: String
    /// LoRa data rate string, e.g. "SF9BW125".
    public var datr: String
    public var codr: String
    /// Inverted polarity: true for downlinks to LoRaWAN devices.
    public var ipol: Bool
    public var size: Int
    /// The PHYPayload, base64.
    public var data: String

    public init(tmst: UInt32?, freq: Double, rfch: Int = 0, powe: Int = 14, datr: String, codr: String = "4/5", payload: [UInt8]) {
        self.imme = tmst == nil ? true : nil
        self.tmst = tmst
        self.freq = freq
        self.rfch = rfch
        self.powe = powe
        self.modu = "LORA"
        self.datr = datr
        self.codr = codr
        self.ipol = true
        self.size = payload.count
        self.data = Data(payload).base64EncodedString()
    }

    /// The PULL_RESP JSON body.
    public func json() throws(LoRaWANError) -> [UInt8] {
        struct Wrapper: Encodable { let txpk: SemtechTxPacket }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return Array(try encoder.encode(Wrapper(txpk: self)))
        } catch {
            throw LoRaWANError(code: .invalidJSON, reason: "cannot encode txpk: \(error)")
        }
    }
}
