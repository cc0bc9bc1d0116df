/// Decodes the Dragino LHT65 LoRaWAN temperature & humidity sensor's uplink (FPort 2): a field weather node.
///
/// Layout as in the vendor decoder (TheThingsNetwork/lorawan-devices `vendor/dragino/lht65.js`): bytes 0–1
/// battery mV (& 0x3FFF, top two bits battery status), 2–3 SHT20 temperature int16 / 100 °C, 4–5 humidity
/// (& 0x0FFF) / 10 % RH, 6 external-sensor type (low nibble; bit 7 sensor disconnected, bit 6 poll reply),
/// 7–10 the external sensor's value. With type 9 (DS18B20 + timestamp) bytes 0–1 carry the probe
/// temperature instead of the battery; type 15 carries a probe id instead of SHT readings.
public struct DraginoLHT65: Sendable, Hashable {
    /// What the external connector reported.
    public enum External: Sendable, Hashable {
        case none
        /// DS18B20 probe temperature in °C (type 1).
        case temperature(Double)
        /// Interrupt pin level and whether it triggered (type 4).
        case interrupt(high: Bool, triggered: Bool)
        /// Illuminance in lux (type 5).
        case illuminance(Int)
        /// ADC voltage in volts (type 6).
        case adc(Double)
        /// Interrupt count, 16-bit (type 7) or 32-bit (type 8).
        case count(UInt32)
        /// DS18B20 temperature in °C and the device's Unix timestamp (type 9).
        case temperatureWithTimestamp(Double, timestamp: UInt32)
        /// The DS18B20's 8-byte id (type 15).
        case probeID([UInt8])
        /// A type this decoder does not know, raw.
        case unknown(type: UInt8)
    }

    /// Battery voltage in volts (nil for type 9, where those bytes carry a temperature).
    public let batteryVolts: Double?
    /// Battery status bits (0–3; 3 is good).
    public let batteryStatus: UInt8
    /// Built-in SHT20 temperature (°C) and humidity (% RH); nil for type 15.
    public let temperature: Double?
    public let humidity: Double?
    public let external: External
    /// The external sensor is configured but not connected.
    public let externalDisconnected: Bool
    /// The uplink answers a datalog poll (the vendor decoder drops these).
    public let isPollReply: Bool

    /// The uplink port the payload arrives on.
    public static let port: UInt8 = 2

    /// Decodes an 11-byte FPort 2 payload.
    ///
    /// - Throws: `.invalidPayload` for another port or a payload shorter than 11 bytes.
    public static func decode(_ payload: some Collection<UInt8>, fPort: UInt8 = port) throws(LoRaWANError) -> DraginoLHT65 {
        guard fPort == port else {
            throw LoRaWANError(code: .invalidPayload, reason: "Dragino LHT65 sends readings on FPort 2, got FPort \(fPort)")
        }
        let b = Array(payload)
        guard b.count >= 11 else {
            throw LoRaWANError(code: .invalidPayload, reason: "Dragino LHT65 payload has \(b.count) bytes, 11 expected")
        }
        func u16(_ i: Int) -> UInt16 { UInt16(b[i]) << 8 | UInt16(b[i + 1]) }
        func s16(_ i: Int) -> Double { Double(Int16(bitPattern: u16(i))) }
        func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) << 16 | UInt32(u16(i + 2)) }
        let type = b[6] & 0x0F
        let external: External
        switch type {
        case 0: external = .none
        case 1: external = .temperature(s16(7) / 100)
        case 4: external = .interrupt(high: b[7] != 0, triggered: b[8] != 0)
        case 5: external = .illuminance(Int(u16(7)))
        case 6: external = .adc(Double(u16(7)) / 1000)
        case 7: external = .count(UInt32(u16(7)))
        case 8: external = .count(u32(7))
        case 9: external = .temperatureWithTimestamp(s16(0) / 100, timestamp: u32(7))
        case 15: external = .probeID([b[2], b[3], b[4], b[5], b[7], b[8], b[9], b[10]])
        default: external = .unknown(type: type)
        }
        return DraginoLHT65(
            batteryVolts: type == 9 ? nil : Double(u16(0) & 0x3FFF) / 1000,
            batteryStatus: type == 9 ? b[4] >> 6 : b[0] >> 6,
            temperature: type == 15 ? nil : s16(2) / 100,
            humidity: type == 15 ? nil : Double(u16(4) & 0x0FFF) / 10,
            external: external,
            externalDisconnected: b[6] & 0x80 != 0,
            isPollReply: b[6] & 0x40 != 0
        )
    }
}
