/// Leaf-wetness and temperature readings at a fixed interval, and the wet periods in them, which every
/// wetness-driven disease model (apple scab, Botrytis) starts from.
public struct WetnessSeries: Sendable, Hashable, Codable {
    /// Where "wet" came from; recorded because RH ≥ 90 % is only an approximation of a wetness sensor.
    public enum Source: Sendable, Hashable, Codable {
        case leafWetnessSensor
        /// Wet when relative humidity ≥ the threshold (%).
        case relativeHumidity(threshold: Double)
    }

    /// One reading: canopy air temperature (°C) and whether the leaf was wet.
    public struct Reading: Sendable, Hashable, Codable {
        public var temperature: Double
        public var wet: Bool
        public init(temperature: Double, wet: Bool) {
            self.temperature = temperature
            self.wet = wet
        }
    }

    /// A run of wetness; dry gaps shorter than the merge limit are inside it but not counted as wet.
    public struct Period: Sendable, Hashable, Codable {
        /// Index of the first and last wet reading.
        public var first: Int
        public var last: Int
        /// Wet readings × interval.
        public var wetHours: Double
        /// Mean temperature of the wet readings, °C.
        public var meanTemperature: Double
    }

    public var readings: [Reading]
    /// Hours between readings (1 for hourly, 0.25 for 15-min).
    public var intervalHours: Double
    public var source: Source

    public init(readings: [Reading], intervalHours: Double = 1, source: Source = .leafWetnessSensor) {
        self.readings = readings
        self.intervalHours = intervalHours
        self.source = source
    }

    /// Wetness from relative humidity, for stations without a wetness sensor.
    public init(temperatures: [Double], relativeHumidity: [Double], threshold: Double = 90, intervalHours: Double = 1)
        throws(AgronomyError)
    {
        guard temperatures.count == relativeHumidity.count else {
            throw AgronomyError(.inconsistent, field: "relative_humidity", "\(relativeHumidity.count) humidity readings for \(temperatures.count) temperatures")
        }
        var readings: [Reading] = []
        for (i, rh) in relativeHumidity.enumerated() {
            try Check.range(rh, "relative_humidity[\(i)]", 0...100, unit: "%")
            readings.append(Reading(temperature: temperatures[i], wet: rh >= threshold))
        }
        self.init(readings: readings, intervalHours: intervalHours, source: .relativeHumidity(threshold: threshold))
    }

    func validate() throws(AgronomyError) {
        try Check.positive(intervalHours, "interval_hours", unit: "h")
        for (i, r) in readings.enumerated() { try Check.range(r.temperature, "readings[\(i)].temperature", -60...70, unit: "°C") }
    }

    /// Wet periods; a dry gap shorter than `mergeDryGapHours` does not end a period (revised Mills rule: 8 h).
    public func periods(mergeDryGapHours: Double = 8) throws(AgronomyError) -> [Period] {
        try validate()
        try Check.nonNegative(mergeDryGapHours, "merge_dry_gap_hours", unit: "h")
        var out: [Period] = []
        var start: Int?, last = 0, wetCount = 0, sumT = 0.0
        func close() {
            if let s = start {
                out.append(Period(first: s, last: last, wetHours: Double(wetCount) * intervalHours, meanTemperature: sumT / Double(wetCount)))
            }
            start = nil; wetCount = 0; sumT = 0
        }
        for (i, r) in readings.enumerated() where r.wet {
            if start != nil, Double(i - last - 1) * intervalHours >= mergeDryGapHours { close() }
            if start == nil { start = i }
            last = i
            wetCount += 1
            sumT += r.temperature
        }
        close()
        return out
    }
}
