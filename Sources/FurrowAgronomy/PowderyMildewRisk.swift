/// Grape powdery mildew risk by the UC Davis (Gubler–Thomas) conidial index from in-canopy temperature, so spray
/// intervals can follow disease pressure (Thomas, Gubler & Leavitt 1994; Weber, Gubler & Derr 1996).
///
/// Rules (as summarised in `pest_disease_rules_published.json`): a "favourable" day has ≥ 6 continuous hours at
/// 70–85 °F (21.1–29.4 °C, converted exactly from °F). Before the epidemic starts, 3 consecutive favourable days set
/// the index to 60; a break before the third day resets the count. After the start: favourable +20, favourable but
/// with T ≥ 95 °F (35 °C) for ≥ 15 min +10, not favourable −10 (also when hot: the daily decrement is capped at 10);
/// bounded 0–100. The index stays in the started phase once it has started (even at 0).
/// Readings at a fixed interval: a reading ≥ 35 °C counts for the whole interval (an hourly reading ≥ 35 °C is ≥ 15 min).
public struct PowderyMildewRisk: Sendable, Hashable, Codable {
    /// Interpretation bands from the UC rules.
    public enum Level: String, Sendable, Hashable, Codable { case low, moderate, high }

    /// One day of the index with the inputs it used.
    public struct Day: Sendable, Hashable, Codable {
        /// Longest continuous run within 70–85 °F, hours.
        public var favourableHours: Double
        /// Time at or above 95 °F, minutes.
        public var hotMinutes: Double
        public var favourable: Bool
        public var hot: Bool
        /// Points added this day (0 before the start, 60 on the starting day).
        public var change: Int
        public var index: Int
        public var started: Bool
        public var level: Level
    }

    public static let favourableLow = TemperatureScale.fahrenheit.convert(70, to: .celsius)
    public static let favourableHigh = TemperatureScale.fahrenheit.convert(85, to: .celsius)
    public static let hotThreshold = TemperatureScale.fahrenheit.convert(95, to: .celsius)

    /// Minutes between readings (60 for hourly, 15 for 15-min).
    public var intervalMinutes: Double

    public init(intervalMinutes: Double = 60) { self.intervalMinutes = intervalMinutes }

    /// 0–30 low, 40–50 moderate, 60–100 high (the published bands leave gaps; values in a gap take the band below).
    public static func level(_ index: Int) -> Level { index >= 60 ? .high : index >= 40 ? .moderate : .low }

    /// The index for consecutive days of canopy temperature (°C) readings, starting at bud break.
    public func index(days: [[Double]]) throws(AgronomyError) -> [Day] {
        try Check.positive(intervalMinutes, "interval_minutes", unit: "min")
        var out: [Day] = []
        var index = 0, started = false, run = 0
        for (d, readings) in days.enumerated() {
            var longest = 0, current = 0, hotCount = 0
            for (i, t) in readings.enumerated() {
                try Check.range(t, "days[\(d)][\(i)]", -60...70, unit: "°C")
                if t >= Self.favourableLow && t <= Self.favourableHigh { current += 1; longest = max(longest, current) } else { current = 0 }
                if t >= Self.hotThreshold { hotCount += 1 }
            }
            let hours = Double(longest) * intervalMinutes / 60
            let hotMinutes = Double(hotCount) * intervalMinutes
            let favourable = hours >= 6, hot = hotMinutes >= 15
            var change = 0
            if started {
                change = favourable ? (hot ? 10 : 20) : -10
                index = min(100, max(0, index + change))
            } else {
                run = favourable ? run + 1 : 0
                if run >= 3 { started = true; change = 60; index = 60 }
            }
            out.append(Day(
                favourableHours: hours, hotMinutes: hotMinutes, favourable: favourable, hot: hot, change: change, index: index,
                started: started, level: Self.level(index)))
        }
        return out
    }
}
