import Foundation

/// FAO-56 chapter 3 air properties (pressure, psychrometric constant, vapour pressure), shared by every ET method.
public enum Atmosphere {
    /// Atmospheric pressure from elevation, kPa (FAO-56 Eq. 7; ASCE-EWRI Eq. 3).
    public static func pressure(elevation z: Double) -> Double {
        101.3 * pow((293.0 - 0.0065 * z) / 293.0, 5.26)
    }

    /// Psychrometric constant γ = 0.665×10⁻³ P, kPa °C⁻¹ (FAO-56 Eq. 8, λ fixed at 2.45 MJ kg⁻¹).
    public static func psychrometricConstant(pressure: Double) -> Double { 0.665e-3 * pressure }

    /// Saturation vapour pressure e°(T), kPa (FAO-56 Eq. 11).
    public static func saturationVaporPressure(_ t: Double) -> Double {
        0.6108 * exp(17.27 * t / (t + 237.3))
    }

    /// Slope of the saturation vapour pressure curve Δ at T, kPa °C⁻¹ (FAO-56 Eq. 13).
    public static func saturationSlope(_ t: Double) -> Double {
        4098.0 * saturationVaporPressure(t) / ((t + 237.3) * (t + 237.3))
    }

    /// Mean saturation vapour pressure es = [e°(Tmax) + e°(Tmin)]/2, kPa (FAO-56 Eq. 12).
    public static func meanSaturationVaporPressure(tMin: Double, tMax: Double) -> Double {
        (saturationVaporPressure(tMax) + saturationVaporPressure(tMin)) / 2
    }

    /// Latent heat of vaporisation λ = 2.501 − 0.002361 T, MJ kg⁻¹ (FAO-56 Annex 3 Eq. 3-1).
    public static func latentHeat(_ t: Double) -> Double { 2.501 - 0.002361 * t }

    /// Wind speed at 2 m from a reading at height z, m s⁻¹ (FAO-56 Eq. 47, logarithmic profile).
    public static func windAt2m(speed: Double, height z: Double) -> Double {
        speed * 4.87 / log(67.8 * z - 5.42)
    }
}
