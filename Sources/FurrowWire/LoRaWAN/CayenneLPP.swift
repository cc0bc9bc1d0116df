/// Decodes Cayenne Low Power Payload (LPP), a self-describing channel/type/value format many sensors use.
///
/// Each reading is `channel (1) | type (1) | value (type-specific, big-endian)`; readings repeat to the end
/// of the payload and several channels may carry the same type. Types and resolutions follow the
/// myDevices Cayenne LPP documentation (IPSO object ids minus 3200).
public enum CayenneLPP {
    /// The standard LPP data types.
    public enum DataType: UInt8, Sendable, Hashable, CaseIterable {
        case digitalInput = 0x00, digitalOutput = 0x01, analogInput = 0x02, analogOutput = 0x03
        case illuminance = 0x65, presence = 0x66, temperature = 0x67, humidity = 0x68
        case accelerometer = 0x71, barometer = 0x73, gyrometer = 0x86, gps = 0x88

        /// Value bytes after channel and type.
        public var size: Int {
            switch self {
            case .digitalInput, .digitalOutput, .presence, .humidity: 1
            case .analogInput, .analogOutput, .illuminance, .temperature, .barometer: 2
            case .accelerometer, .gyrometer: 6
            case .gps: 9
            }
        }
    }

    /// A decoded value.
    public enum Value: Sendable, Hashable {
        /// One number in the type's unit: digital 0/1 or counts, analog (0.01), lux, presence,
        /// °C (0.1), % RH (0.5), hPa (0.1).
        case scalar(Double)
        /// Three axes: accelerometer in G (0.001), gyrometer in °/s (0.01).
        case vector(x: Double, y: Double, z: Double)
        /// Latitude and longitude in degrees (0.0001), altitude in metres (0.01).
        case gps(latitude: Double, longitude: Double, altitude: Double)
    }

    /// One reading.
    public struct Reading: Sendable, Hashable {
        public let channel: UInt8
        public let type: DataType
        public let value: Value
    }

    /// Decodes all readings of a payload.
    ///
    /// - Throws: `.invalidPayload` for an unknown type or a value cut short, naming the byte offset.
    public static func decode(_ payload: some Collection<UInt8>) throws(LoRaWANError) -> [Reading] {
        let bytes = Array(payload)
        var readings: [Reading] = []
        var i = 0
        while i < bytes.count {
            guard i + 2 <= bytes.count else {
                throw LoRaWANError(code: .invalidPayload, reason: "Cayenne LPP: channel at byte \(i) has no type byte")
            }
            let channel = bytes[i]
            guard let type = DataType(rawValue: bytes[i + 1]) else {
                throw LoRaWANError(code: .invalidPayload, reason: "Cayenne LPP: unknown type 0x\(String(bytes[i + 1], radix: 16)) at byte \(i + 1)")
            }
            let start = i + 2
            guard start + type.size <= bytes.count else {
                throw LoRaWANError(code: .invalidPayload, reason: "Cayenne LPP: \(type) at byte \(i) needs \(type.size) value bytes, \(bytes.count - start) left")
            }
            func unsigned(_ at: Int, _ n: Int) -> Int {
                (0..<n).reduce(0) { $0 << 8 | Int(bytes[start + at + $1]) }
            }
            func signed(_ at: Int, _ n: Int) -> Int {
                let u = unsigned(at, n)
                let bits = 8 * n
                return u >= 1 << (bits - 1) ? u - (1 << bits) : u
            }
            let value: Value
            switch type {
            case .digitalInput, .digitalOutput, .presence:
                value = .scalar(Double(unsigned(0, 1)))
            case .analogInput, .analogOutput:
                value = .scalar(Double(signed(0, 2)) / 100)
            case .illuminance:
                value = .scalar(Double(unsigned(0, 2)))
            case .temperature:
                value = .scalar(Double(signed(0, 2)) / 10)
            case .humidity:
                value = .scalar(Double(unsigned(0, 1)) / 2)
            case .barometer:
                value = .scalar(Double(unsigned(0, 2)) / 10)
            case .accelerometer:
                value = .vector(x: Double(signed(0, 2)) / 1000, y: Double(signed(2, 2)) / 1000, z: Double(signed(4, 2)) / 1000)
            case .gyrometer:
                value = .vector(x: Double(signed(0, 2)) / 100, y: Double(signed(2, 2)) / 100, z: Double(signed(4, 2)) / 100)
            case .gps:
                value = .gps(latitude: Double(signed(0, 3)) / 10_000, longitude: Double(signed(3, 3)) / 10_000,
                             altitude: Double(signed(6, 3)) / 100)
            }
            readings.append(Reading(channel: channel, type: type, value: value))
            i = start + type.size
        }
        return readings
    }
}
