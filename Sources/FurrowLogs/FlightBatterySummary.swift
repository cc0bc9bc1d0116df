/// What one battery gave during the log: consumption and the lowest voltage, per battery instance.
public struct FlightBatterySummary: Sendable, Codable, Hashable {
    /// Battery instance (BATTERY_STATUS id, DataFlash BAT instance, ULog battery_status multi_id).
    public var instance: Int
    /// Lowest voltage seen, volts (samples ≤ 0 V mean "no monitor" and are left out).
    public var minVoltage: Double?
    /// Charge consumed, mAh: the autopilot's own counter when the log has one, else ∫I dt.
    public var consumedMilliampHours: Double?
    /// Energy consumed, Wh: the autopilot's own counter when the log has one, else ∫V·I dt.
    public var consumedWattHours: Double?
    /// Where the figures came from (`BAT.CurrTot`, `integrated current`, …).
    public var source: String
    /// Samples seen.
    public var samples: Int

    /// A battery summary with every figure given (tests, imports from storage).
    public init(
        instance: Int, minVoltage: Double?, consumedMilliampHours: Double?, consumedWattHours: Double?, source: String,
        samples: Int
    ) {
        self.instance = instance
        self.minVoltage = minVoltage
        self.consumedMilliampHours = consumedMilliampHours
        self.consumedWattHours = consumedWattHours
        self.source = source
        self.samples = samples
    }
}
