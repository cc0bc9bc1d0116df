import Foundation

/// Daily degree-days from minimum/maximum temperature (Zalom et al. 1983, UC DANR Leaflet 21373), the heat sum that
/// times pest development and spray windows.
///
/// Every method is written as the mean over the day of `f(T(t))` for a modelled temperature curve T(t) — a sine or a
/// triangle between Tmin and Tmax — using two closed-form pieces for a threshold x:
/// `A(x)` = mean of max(0, T − x) and `F(x)` = fraction of the day with T > x. Then, with lower TL and upper TU:
/// - horizontal cutoff = A(TL) − A(TU) (temperatures above TU count as TU);
/// - vertical cutoff = horizontal − (TU − TL)·F(TU) (no development while T > TU);
/// - intermediate cutoff = horizontal − A(TU) (the area above TU is subtracted), never below the vertical value.
///   The floor is what the UC IPM calculator does for the sine methods on very hot days (Esparto.A 2020-07-11 and
///   2020-08-15, Tmax 103/107 °F at 50/70 °F: UC IPM prints the vertical value); it is inferred from those outputs.
/// Double methods average two half-days, (Tmin → Tmax) and (Tmax → next day's Tmin); the intermediate floor is
/// applied to the day's total. Without a next Tmin, today's Tmin is used (as UC IPM does for the last day); a next
/// Tmin above today's Tmax (a warm front) makes the afternoon curve run between the two.
///
/// ```swift
/// let dd = DegreeDays(lower: 50, upper: 88, scale: .fahrenheit, method: .singleSine, cutoff: .horizontal)
/// let today = try dd.daily(tMin: 52, tMax: 80)   // °F-days
/// ```
public struct DegreeDays: Sendable, Hashable, Codable {
    /// The modelled daily temperature curve.
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        /// One triangle, symmetric about Tmax (Zalom et al. 1983 Table 3).
        case singleTriangle = "single-triangle"
        /// Two half-day triangles, the second falling to the next day's Tmin (Table 4).
        case doubleTriangle = "double-triangle"
        /// One sine period through Tmin and Tmax (Table 5; Baskerville & Emin 1969).
        case singleSine = "single-sine"
        /// Two half-day sines, the second falling to the next day's Tmin (Table 6; Allen 1976).
        case doubleSine = "double-sine"
        /// McMaster & Wilhelm (1997) method 1: max(0, (Tmax + Tmin)/2 − TL); an upper threshold caps Tmax and Tmin.
        case simpleAverage = "simple-average"
        /// McMaster & Wilhelm (1997) method 2 (the "corn" GDD): Tmax and Tmin clipped to [TL, TU] before averaging.
        case simpleAverageClipped = "simple-average-clipped"

        var usesNextMinimum: Bool { self == .doubleSine || self == .doubleTriangle }
    }

    /// What happens to the part of the day above the upper threshold.
    public enum Cutoff: String, Sendable, Hashable, Codable, CaseIterable {
        /// Temperatures above TU count as TU.
        case horizontal
        /// No development while T > TU.
        case vertical
        /// Development falls as T rises above TU (area above TU subtracted from the horizontal value).
        case intermediate
    }

    /// Lower developmental threshold, in `scale`.
    public var lower: Double
    /// Upper developmental threshold, in `scale`; nil for none (only horizontal cutoff is then meaningful).
    public var upper: Double?
    /// The unit of thresholds, temperatures and the resulting degree-days.
    public var scale: TemperatureScale
    public var method: Method
    public var cutoff: Cutoff

    public init(
        lower: Double, upper: Double?, scale: TemperatureScale, method: Method = .singleSine,
        cutoff: Cutoff = .horizontal
    ) {
        self.lower = lower
        self.upper = upper
        self.scale = scale
        self.method = method
        self.cutoff = cutoff
    }

    /// The same calculation with thresholds converted exactly to another scale (°F-days × 5/9 = °C-days).
    public func converted(to target: TemperatureScale) -> DegreeDays {
        var copy = self
        copy.lower = scale.convert(lower, to: target)
        copy.upper = upper.map { scale.convert($0, to: target) }
        copy.scale = target
        return copy
    }

    /// Checks thresholds before any day is computed.
    public func validate() throws(AgronomyError) {
        try Check.finite(lower, "lower")
        if let upper {
            try Check.finite(upper, "upper")
            guard upper > lower else {
                throw AgronomyError(.inconsistent, field: "upper", "upper threshold \(upper) must be above the lower threshold \(lower)")
            }
        } else if cutoff != .horizontal {
            throw AgronomyError(.missingInput, field: "upper", "the \(cutoff.rawValue) cutoff needs an upper threshold")
        }
    }

    /// Degree-days for one day.
    /// - Parameter nextTMin: the following day's minimum, used by the double methods; nil uses today's `tMin`.
    /// - Throws: ``AgronomyError`` for non-finite values, Tmin above Tmax, or invalid thresholds.
    public func daily(tMin: Double, tMax: Double, nextTMin: Double? = nil) throws(AgronomyError) -> Double {
        try validate()
        try Check.finite(tMin, "tmin")
        try Check.finite(tMax, "tmax")
        guard tMin <= tMax else {
            throw AgronomyError(.inconsistent, field: "tmin", "Tmin \(tMin) is above Tmax \(tMax)")
        }
        if let nextTMin { try Check.finite(nextTMin, "next_tmin") }
        return unchecked(tMin: tMin, tMax: tMax, nextTMin: nextTMin ?? tMin)
    }

    /// Daily degree-days for consecutive days; day i's double-method afternoon uses day i+1's Tmin.
    public func series(_ days: [DailyTemperature]) throws(AgronomyError) -> [Double] {
        try validate()
        var out: [Double] = []
        out.reserveCapacity(days.count)
        for (i, day) in days.enumerated() {
            let next = i + 1 < days.count ? days[i + 1].tMin : nil
            do {
                out.append(try daily(tMin: day.tMin, tMax: day.tMax, nextTMin: next))
            } catch {
                throw AgronomyError(error.code, field: "days[\(i)].\(error.field)", error.message)
            }
        }
        return out
    }

    // MARK: - Computation

    func unchecked(tMin: Double, tMax: Double, nextTMin: Double) -> Double {
        switch method {
        case .simpleAverage:
            var hi = tMax, lo = tMin
            if let upper { hi = min(hi, upper); lo = min(lo, upper) }
            return max(0, (hi + lo) / 2 - lower)
        case .simpleAverageClipped:
            let top = upper ?? .infinity
            let hi = min(max(tMax, lower), top), lo = min(max(tMin, lower), top)
            return (hi + lo) / 2 - lower
        case .singleSine, .singleTriangle:
            let h = halfDay(tMin, tMax)
            return combine(horizontal: h.horizontal, vertical: h.vertical, intermediate: h.intermediate)
        case .doubleSine, .doubleTriangle:
            let a = halfDay(tMin, tMax), b = halfDay(min(nextTMin, tMax), max(nextTMin, tMax))
            return combine(
                horizontal: (a.horizontal + b.horizontal) / 2, vertical: (a.vertical + b.vertical) / 2,
                intermediate: (a.intermediate + b.intermediate) / 2)
        }
    }

    private func combine(horizontal: Double, vertical: Double, intermediate: Double) -> Double {
        switch cutoff {
        case .horizontal: max(0, horizontal)
        case .vertical: max(0, vertical)
        case .intermediate: max(0, intermediate, vertical)
        }
    }

    /// The three cutoffs for one curve from `low` to `high`.
    private func halfDay(_ low: Double, _ high: Double) -> (horizontal: Double, vertical: Double, intermediate: Double) {
        let sine = method == .singleSine || method == .doubleSine
        let aboveLower = Self.meanExcess(low, high, over: lower, sine: sine)
        guard let upper else { return (aboveLower, aboveLower, aboveLower) }
        let aboveUpper = Self.meanExcess(low, high, over: upper, sine: sine)
        let horizontal = aboveLower - aboveUpper
        let vertical = horizontal - (upper - lower) * Self.fractionAbove(low, high, upper, sine: sine)
        return (horizontal, vertical, horizontal - aboveUpper)
    }

    /// A(x): the mean over the curve of max(0, T − x).
    static func meanExcess(_ low: Double, _ high: Double, over x: Double, sine: Bool) -> Double {
        let mean = (low + high) / 2
        if x <= low { return mean - x }
        if x >= high { return 0 }
        if sine {
            let amplitude = (high - low) / 2
            let theta = asin((x - mean) / amplitude)
            return ((mean - x) * (Double.pi / 2 - theta) + amplitude * cos(theta)) / Double.pi
        }
        // A triangle spends equal time at every temperature between low and high.
        return (high - x) * (high - x) / (2 * (high - low))
    }

    /// F(x): the fraction of the curve with T > x.
    static func fractionAbove(_ low: Double, _ high: Double, _ x: Double, sine: Bool) -> Double {
        if x < low { return 1 }
        if x >= high { return 0 }
        if sine {
            let theta = asin((x - (low + high) / 2) / ((high - low) / 2))
            return (Double.pi / 2 - theta) / Double.pi
        }
        return (high - x) / (high - low)
    }
}

/// One day's minimum and maximum temperature, in the scale of the ``DegreeDays`` that reads it.
public struct DailyTemperature: Sendable, Hashable, Codable {
    /// A caller's label for the day (ISO date, day index); carried through, never parsed.
    public var date: String
    public var tMin: Double
    public var tMax: Double

    public init(date: String = "", tMin: Double, tMax: Double) {
        self.date = date
        self.tMin = tMin
        self.tMax = tMax
    }
}

/// Celsius or Fahrenheit, so thresholds and degree-days always carry their unit.
public enum TemperatureScale: String, Sendable, Hashable, Codable, CaseIterable {
    case celsius = "C"
    case fahrenheit = "F"

    /// A temperature (not a difference) in another scale.
    public func convert(_ value: Double, to target: TemperatureScale) -> Double {
        switch (self, target) {
        case (.celsius, .fahrenheit): value * 9 / 5 + 32
        case (.fahrenheit, .celsius): (value - 32) * 5 / 9
        default: value
        }
    }

    /// A temperature difference or degree-day sum in another scale (°F-days × 5/9 = °C-days).
    public func convertDifference(_ value: Double, to target: TemperatureScale) -> Double {
        switch (self, target) {
        case (.celsius, .fahrenheit): value * 9 / 5
        case (.fahrenheit, .celsius): value * 5 / 9
        default: value
        }
    }
}
