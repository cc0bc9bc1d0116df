import Foundation

/// A field's soil at a point in time: moisture that jumps at each irrigation and dries down with a daily
/// evaporation rhythm, and temperatures that follow the sun, damped and delayed with depth.
///
/// Deterministic in time (no state), so every simulator of a run agrees and a test can recompute values.
public struct SimulatedSoil: Sendable {
    /// Time of the first sample, seconds since the Unix epoch.
    public let start: Double
    /// Hours between irrigations.
    public let irrigationEvery: Double
    /// Volumetric water content right after irrigation and what the soil dries toward (m³/m³).
    public let wet: Double
    public let dry: Double

    public init(start: Double, irrigationEvery: Double = 36, wet: Double = 0.34, dry: Double = 0.17) {
        self.start = start
        self.irrigationEvery = irrigationEvery
        self.wet = wet
        self.dry = dry
    }

    /// Volumetric water content (m³/m³) at `depth` cm, `time` seconds since the epoch.
    public func moisture(at time: Double, depth: Double = 10) -> Double {
        let hours = Swift.max(0, time - start) / 3600
        let sinceIrrigation = hours.truncatingRemainder(dividingBy: irrigationEvery)
        // The wetting front reaches deeper layers later and less.
        let delay = depth / 20
        let reach = Swift.max(0.3, 1 - depth / 100)
        // Until the front arrives, a deeper layer is still drying from the previous irrigation.
        let t = sinceIrrigation >= delay ? sinceIrrigation - delay : sinceIrrigation - delay + irrigationEvery
        let drydown = exp(-t / 18)
        // Evaporation runs in daytime: a small daily ripple, strongest near the surface.
        let dayFraction = (time / 86_400).truncatingRemainder(dividingBy: 1)
        let ripple = -0.006 * reach * sin(2 * .pi * (dayFraction - 0.25))
        return dry + (wet - dry) * reach * drydown + ripple
    }

    /// Soil temperature (°C) at `depth` cm.
    public func temperature(at time: Double, depth: Double = 10) -> Double {
        let dayFraction = (time / 86_400).truncatingRemainder(dividingBy: 1)
        let damping = exp(-depth / 12)
        let lag = depth / 100 * 0.25
        return 19 + 7 * damping * sin(2 * .pi * (dayFraction - 0.375 - lag))
    }

    /// Bulk electrical conductivity (µS/cm): rises with water content.
    public func conductivity(at time: Double, depth: Double = 10) -> Double {
        (1800 * moisture(at: time, depth: depth)).rounded()
    }

    /// Whether an irrigation runs at `time` (the first 40 minutes of each cycle): flow meters see water.
    public func isIrrigating(at time: Double) -> Bool {
        let hours = Swift.max(0, time - start) / 3600
        return hours.truncatingRemainder(dividingBy: irrigationEvery) < 40.0 / 60
    }
}
