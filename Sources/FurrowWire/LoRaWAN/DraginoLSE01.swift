/// Decodes the Dragino LSE01 LoRaWAN soil moisture & EC sensor's uplink (FPort 2).
///
/// Layout as in the vendor decoder (TheThingsNetwork/lorawan-devices `vendor/dragino/lse01.js`):
/// bytes 0–1 battery mV (& 0x3FFF), 2–3 DS18B20 probe temperature int16 / 10 °C, 4–5 soil water content
/// uint16 / 100 %, 6–7 soil temperature int16 / 100 °C, 8–9 soil conductivity uint16 µS/cm, 10 flags
/// (optional). One deliberate difference: negative soil temperatures are two's complement here, where
/// the published decoder subtracts 0xFFFF and reads 0.01 °C too high (0xFF9C is −1.00 °C, not −0.99).
public struct DraginoLSE01: Sendable, Hashable {
    /// Battery voltage in volts.
    public let batteryVolts: Double
    /// External DS18B20 probe temperature in °C.
    public let probeTemperature: Double
    /// Volumetric soil water content in %.
    public let soilMoisture: Double
    /// Soil temperature in °C.
    public let soilTemperature: Double
    /// Soil electrical conductivity in µS/cm.
    public let soilConductivity: Int
    /// The flags byte (interrupt / sensor flags) when the firmware sends it.
    public let flags: UInt8?

    /// The uplink port the payload arrives on.
    public static let port: UInt8 = 2

    /// Decodes an FPort 2 payload of at least 10 bytes.
    ///
    /// - Throws: `.invalidPayload` for another port or a payload shorter than 10 bytes.
    public static func decode(_ payload: some Collection<UInt8>, fPort: UInt8 = port) throws(LoRaWANError) -> DraginoLSE01 {
        guard fPort == port else {
            throw LoRaWANError(code: .invalidPayload, reason: "Dragino LSE01 sends readings on FPort 2, got FPort \(fPort)")
        }
        let b = Array(payload)
        guard b.count >= 10 else {
            throw LoRaWANError(code: .invalidPayload, reason: "Dragino LSE01 payload has \(b.count) bytes, at least 10 expected")
        }
        func u16(_ i: Int) -> UInt16 { UInt16(b[i]) << 8 | UInt16(b[i + 1]) }
        func s16(_ i: Int) -> Int16 { Int16(bitPattern: u16(i)) }
        return DraginoLSE01(
            batteryVolts: Double(u16(0) & 0x3FFF) / 1000,
            probeTemperature: Double(s16(2)) / 10,
            soilMoisture: Double(u16(4)) / 100,
            soilTemperature: Double(s16(6)) / 100,
            soilConductivity: Int(u16(8)),
            flags: b.count > 10 ? b[10] : nil
        )
    }
}
