import Foundation

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
