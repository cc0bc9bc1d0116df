import Foundation

/// Grape Botrytis bunch rot infection index of Broome et al. (1995, Phytopathology 85:97–102) from wetness duration
/// and temperature, so a wet spell at bloom or pre-harvest can be ranked.
///
/// `logit(Y) = −2.647866 + 0.374927 W + 0.061601 W T − 0.001511 W T²` (W wet hours, T mean °C during wetness).
/// The index reported is the logit; Y is the predicted infection proportion. The risk classes (<0 none, 0–0.5 low,
/// 0.5–1 moderate, ≥ 1 high) are a vendor's (GrapeCast model notes), not the paper's.
public enum BotrytisRisk {
    /// Vendor risk classes of the logit index.
    public enum Level: String, Sendable, Hashable, Codable { case none, low, moderate, high }

    /// The index for one wet period, with the inputs used.
    public struct Result: Sendable, Hashable, Codable {
        public var wetHours: Double
        public var meanTemperature: Double
        /// logit(Y).
        public var index: Double
        /// Y = 1 / (1 + e^−index).
        public var infectionProbability: Double
        public var level: Level
    }

    /// The index for W wet hours at mean temperature T (°C).
    public static func index(wetHours: Double, meanTemperature t: Double) throws(AgronomyError) -> Result {
        try Check.nonNegative(wetHours, "wet_hours", unit: "h")
        try Check.range(t, "mean_temperature", -60...70, unit: "°C")
        let w = wetHours
        let logit = -2.647866 + 0.374927 * w + 0.061601 * w * t - 0.001511 * w * t * t
        let level: Level = logit < 0 ? .none : logit < 0.5 ? .low : logit < 1 ? .moderate : .high
        return Result(wetHours: w, meanTemperature: t, index: logit, infectionProbability: 1 / (1 + exp(-logit)), level: level)
    }

    /// The index of every wet period in a series (dry gaps shorter than `mergeDryGapHours` do not split a period).
    public static func periods(_ series: WetnessSeries, mergeDryGapHours: Double = 4) throws(AgronomyError) -> [Result] {
        var out: [Result] = []
        for p in try series.periods(mergeDryGapHours: mergeDryGapHours) {
            out.append(try index(wetHours: p.wetHours, meanTemperature: p.meanTemperature))
        }
        return out
    }
}
