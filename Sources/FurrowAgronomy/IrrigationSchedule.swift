/// When and how much to irrigate next, from the current depletion and expected crop ET, by management-allowed
/// depletion (MAD).
public enum IrrigationSchedule {
    /// The next irrigation: how many days from now and the depth that refills the root zone.
    public struct Next: Sendable, Hashable, Codable {
        /// Days from today (0 = irrigate today, the start-of-day depletion already exceeds MAD).
        public var daysFromNow: Int
        /// Depletion projected for that day, mm — the net depth that refills to field capacity.
        public var netDepth: Double
        /// Net depth / efficiency, mm.
        public var grossDepth: Double
        /// The trigger, MAD × TAW, mm.
        public var threshold: Double
    }

    /// Projects Dr forward with `forecastETc` (mm per day, from tomorrow on; rain assumed 0 unless given) and returns
    /// the first day on which Dr ≥ MAD × TAW, or nil if the forecast ends first.
    ///
    /// - Parameters:
    ///   - depletion: current root-zone depletion Dr, mm.
    ///   - taw: total available water, mm.
    ///   - mad: management-allowed depletion, fraction of TAW (0…1].
    ///   - forecastETc: expected ETc per day, mm.
    ///   - forecastRain: expected effective rain per day, mm (shorter arrays mean 0).
    ///   - efficiency: application efficiency for the gross depth.
    public static func next(
        depletion: Double, taw: Double, mad: Double, forecastETc: [Double], forecastRain: [Double] = [],
        efficiency: Double = 1
    ) throws(AgronomyError) -> Next? {
        try Check.positive(taw, "taw", unit: "mm")
        try Check.range(depletion, "depletion", 0...taw, unit: "mm")
        try Check.range(mad, "mad", 0.01...1, unit: "")
        guard efficiency > 0 && efficiency <= 1 else {
            throw AgronomyError(.outOfRange, field: "efficiency", "\(efficiency) must be in (0, 1]")
        }
        let threshold = mad * taw
        var dr = depletion
        if dr >= threshold {
            return Next(daysFromNow: 0, netDepth: dr, grossDepth: dr / efficiency, threshold: threshold)
        }
        for (i, etc) in forecastETc.enumerated() {
            try Check.nonNegative(etc, "forecast_etc[\(i)]", unit: "mm")
            let rain = i < forecastRain.count ? forecastRain[i] : 0
            try Check.nonNegative(rain, "forecast_rain[\(i)]", unit: "mm")
            dr = min(max(dr - rain + etc, 0), taw)
            if dr >= threshold {
                return Next(daysFromNow: i + 1, netDepth: dr, grossDepth: dr / efficiency, threshold: threshold)
            }
        }
        return nil
    }
}
