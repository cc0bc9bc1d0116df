import FurrowWire

extension SensorProfile.LoRaWANDecoder {
    /// The named values of a decrypted payload (`soil_moisture`, `temperature_1`).
    ///
    /// - Throws: `LoRaWANError` (`.invalidPayload`) from the decoder.
    func fields(_ payload: [UInt8], fPort: UInt8) throws(LoRaWANError) -> [String: Double] {
        switch self {
        case .draginoLSE01:
            let d = try DraginoLSE01.decode(payload, fPort: fPort)
            return [
                "battery": d.batteryVolts, "probe_temperature": d.probeTemperature, "soil_moisture": d.soilMoisture,
                "soil_temperature": d.soilTemperature, "soil_conductivity": Double(d.soilConductivity),
            ]
        case .cayenneLPP:
            var out: [String: Double] = [:]
            for reading in try CayenneLPP.decode(payload) {
                let base = "\(Self.cayenneName(reading.type))_\(reading.channel)"
                switch reading.value {
                case .scalar(let v): out[base] = v
                case .vector(let x, let y, let z):
                    out[base + "_x"] = x
                    out[base + "_y"] = y
                    out[base + "_z"] = z
                case .gps(let lat, let lon, let alt):
                    out[base + "_latitude"] = lat
                    out[base + "_longitude"] = lon
                    out[base + "_altitude"] = alt
                }
            }
            return out
        }
    }

    static func cayenneName(_ type: CayenneLPP.DataType) -> String {
        switch type {
        case .digitalInput: "digital_input"
        case .digitalOutput: "digital_output"
        case .analogInput: "analog_input"
        case .analogOutput: "analog_output"
        case .illuminance: "illuminance"
        case .presence: "presence"
        case .temperature: "temperature"
        case .humidity: "humidity"
        case .accelerometer: "accelerometer"
        case .barometer: "barometer"
        case .gyrometer: "gyrometer"
        case .gps: "gps"
        }
    }
}
