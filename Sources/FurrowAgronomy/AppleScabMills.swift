/// Apple scab infection periods by the revised Mills table (MacHardy & Gadoury 1989, Phytopathology 79:304–310):
/// the wetness hours needed for ascospore infection at the wet period's mean temperature, so growers know which
/// rains need a protectant or post-infection spray.
///
/// Conventions (recorded with every result because implementations differ):
/// - between table rows the required hours are interpolated linearly in °F; 61–75 °F is flat at 6 h;
/// - below 34 °F or above 79 °F (outside the table) no infection is predicted;
/// - wet hours accumulate across dry gaps shorter than `mergeDryGapHours` (8 h; the gap itself is not counted);
/// - conidia (secondary infection) need 2.5 h more than ascospores (MacHardy & Gadoury 1989);
/// - "rain after sunset counts from sunrise" is not applied (needs sunrise times and rain onset; left to the caller).
public struct AppleScabMills: Sendable, Hashable, Codable {
    /// Which spores the infection requirement is for.
    public enum Spore: String, Sendable, Hashable, Codable { case ascospore, conidium }

    /// One wet period judged against the table, with the inputs used.
    public struct InfectionPeriod: Sendable, Hashable, Codable {
        public var period: WetnessSeries.Period
        public var meanTemperatureF: Double
        /// Wetness hours needed at that temperature; nil outside the table.
        public var requiredHours: Double?
        public var infection: Bool
        public var spore: Spore
    }

    /// The revised Mills table: (°F, minimum hours of continuous wetness for ascospore infection).
    /// Source: MacHardy & Gadoury (1989) as published by West Virginia University Kearneysville
    /// ("Disease of the month: Mills table"); the row "61-75 6" is stored as its two ends.
    public static let table: [(temperatureF: Double, hours: Double)] = [
        (34, 41), (36, 35), (37, 30), (39, 28), (41, 21), (43, 18), (45, 15), (46, 13), (48, 12), (50, 11), (52, 9),
        (54, 8), (55, 8), (57, 7), (59, 7), (61, 6), (75, 6), (77, 8), (79, 11),
    ]

    public var spore: Spore
    public var mergeDryGapHours: Double

    public init(spore: Spore = .ascospore, mergeDryGapHours: Double = 8) {
        self.spore = spore
        self.mergeDryGapHours = mergeDryGapHours
    }

    /// Hours of wetness needed at a mean temperature (°F), interpolated; nil outside 34–79 °F.
    public func requiredHours(atFahrenheit t: Double) -> Double? {
        let rows = Self.table
        guard t.isFinite, t >= rows[0].temperatureF, t <= rows[rows.count - 1].temperatureF else { return nil }
        var hours = rows[rows.count - 1].hours
        for k in 1..<rows.count where t <= rows[k].temperatureF {
            let (t0, h0) = rows[k - 1], (t1, h1) = rows[k]
            hours = h0 + (h1 - h0) * (t - t0) / (t1 - t0)
            break
        }
        return spore == .conidium ? hours + 2.5 : hours
    }

    /// Every wet period in the series with its infection verdict.
    public func infectionPeriods(_ series: WetnessSeries) throws(AgronomyError) -> [InfectionPeriod] {
        try series.periods(mergeDryGapHours: mergeDryGapHours).map { p in
            // Rounded to 1e-9 °F so a table row is hit exactly after a °F → °C → °F round trip.
            let f = (TemperatureScale.celsius.convert(p.meanTemperature, to: .fahrenheit) * 1e9).rounded() / 1e9
            let need = requiredHours(atFahrenheit: f)
            return InfectionPeriod(
                period: p, meanTemperatureF: f, requiredHours: need, infection: need.map { p.wetHours >= $0 - 1e-9 } ?? false,
                spore: spore)
        }
    }
}
