/// One channel a sensor profile stores: where its raw value comes from, its unit, and its calibration.
public struct SensorChannel: Sendable, Hashable {
    /// Where the raw value is read from, per protocol.
    public enum Origin: Sendable, Hashable {
        /// The n-th value (0-based) of an SDI-12 measurement, across D0…D9.
        case sdi12Value(index: Int)
        /// A value in a Modbus register block.
        case modbusRegister(ModbusRegisterSpec)
        /// A named field of a LoRaWAN payload decoder (`soil_moisture`, `temperature_1`).
        case decoderField(String)
    }

    /// Channel name in the store (`vwc`, `soil_temperature`).
    public let name: String
    /// Unit of the calibrated value (`m3/m3`, `degC`, `uS/cm`).
    public let unit: String?
    /// Unit of the raw value, when it differs (`counts`).
    public let rawUnit: String?
    public let origin: Origin
    public let calibration: SensorCalibration

    /// A channel read from `origin`, stored in `unit` after `calibration`.
    public init(name: String, unit: String?, rawUnit: String? = nil, origin: Origin, calibration: SensorCalibration = .identity) {
        self.name = name
        self.unit = unit
        self.rawUnit = rawUnit
        self.origin = origin
        self.calibration = calibration
    }

    /// The store channel holding the raw value: `<name>_raw`.
    public var rawName: String { name + "_raw" }
}
