import FurrowWire

/// Builds the PHYPayload of an ABP device's unconfirmed uplink, as the device's radio would: FRMPayload
/// encrypted with the AppSKey, MIC with the NwkSKey (LoRaWAN 1.0.x §4.3.3, §4.4).
public struct LoRaWANUplinkBuilder: Sendable {
    public let devAddr: UInt32
    public let nwkSKey: LoRaWANKey
    public let appSKey: LoRaWANKey

    public init(devAddr: UInt32, nwkSKey: LoRaWANKey, appSKey: LoRaWANKey) {
        self.devAddr = devAddr
        self.nwkSKey = nwkSKey
        self.appSKey = appSKey
    }

    /// The PHYPayload for `payload` on `fPort` with the 32-bit frame counter `counter` (its low 16 bits are sent).
    public func frame(counter: UInt32, fPort: UInt8, payload: [UInt8]) throws(LoRaWANError) -> [UInt8] {
        let header: [UInt8] =
            [0x40] + (0..<4).map { UInt8(truncatingIfNeeded: devAddr >> (8 * $0)) } + [0x00]
            + [UInt8(truncatingIfNeeded: counter), UInt8(truncatingIfNeeded: counter >> 8), fPort]
        // The keystream XOR is its own inverse: "decrypting" the plain text encrypts it.
        guard case .data(let plain) = try LoRaWANFrame.parse(header + payload + [0, 0, 0, 0]) else {
            throw LoRaWANError(code: .malformed, reason: "uplink header")
        }
        let cipher = try plain.decryptPayload(key: appSKey, counter: counter)
        guard case .data(let unsigned) = try LoRaWANFrame.parse(header + cipher + [0, 0, 0, 0]) else {
            throw LoRaWANError(code: .malformed, reason: "uplink header")
        }
        return header + cipher + (try unsigned.computeMIC(key: nwkSKey, counter: counter))
    }

    /// A Dragino LSE01 FPort 2 payload: battery mV, probe °C ×10, VWC % ×100, soil °C ×100 (two's
    /// complement), EC µS/cm, flags.
    public static func lse01Payload(batteryVolts: Double, probeTemperature: Double, moisture: Double, soilTemperature: Double, conductivity: Int) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { let w = UInt16(truncatingIfNeeded: v); return [UInt8(w >> 8), UInt8(truncatingIfNeeded: w)] }
        return u16(Int((batteryVolts * 1000).rounded()) & 0x3FFF) + u16(Int((probeTemperature * 10).rounded()))
            + u16(Int((moisture * 100).rounded())) + u16(Int((soilTemperature * 100).rounded())) + u16(conductivity) + [0x00]
    }
}
