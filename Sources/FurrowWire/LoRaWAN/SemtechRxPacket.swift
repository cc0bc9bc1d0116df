import Foundation

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

    /// Whether `size` agrees with the decoded `data` (a mismatch means a forwarder bug or a damaged datagram).
    public var sizeMatchesData: Bool { size == data.count }
}
