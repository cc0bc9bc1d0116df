import Foundation

/// FAO-56 / ASCE-EWRI solar geometry and radiation terms, so the daily and hourly PM forms share one implementation.
public enum SolarRadiation {
    /// Solar constant, MJ m⁻² min⁻¹.
    public static let solarConstant = 0.0820
    /// Stefan–Boltzmann constant per day, FAO-56 (MJ K⁻⁴ m⁻² d⁻¹).
    public static let stefanBoltzmannDailyFAO = 4.903e-9
    /// Stefan–Boltzmann constant per hour, FAO-56 (MJ K⁻⁴ m⁻² h⁻¹).
    public static let stefanBoltzmannHourlyFAO = 2.043e-10
    /// Stefan–Boltzmann constant per day, ASCE-EWRI (2005) Eq. 17.
    public static let stefanBoltzmannDailyASCE = 4.901e-9
    /// Stefan–Boltzmann constant per hour, ASCE-EWRI (2005) Eq. 45.
    public static let stefanBoltzmannHourlyASCE = 2.042e-10

    /// Inverse relative Earth–Sun distance dr (FAO-56 Eq. 23).
    public static func inverseRelativeDistance(dayOfYear j: Int) -> Double {
        1 + 0.033 * cos(2 * .pi * Double(j) / 365)
    }

    /// Solar declination δ, rad (FAO-56 Eq. 24; REF-ET's program uses Duffie & Beckman's 23.45° sin(2π(J + 284)/365)).
    public static func declination(dayOfYear j: Int, convention: SolarConvention = .standard) -> Double {
        switch convention {
        case .standard: 0.409 * sin(2 * .pi * Double(j) / 365 - 1.39)
        case .refetSoftware: 23.45 * .pi / 180 * sin(2 * .pi * Double(j + 284) / 365)
        }
    }

    /// Sunset hour angle ωs, rad (FAO-56 Eq. 25; polar day/night clamp to π / 0).
    public static func sunsetHourAngle(latitude phi: Double, declination delta: Double) -> Double {
        acos(min(1, max(-1, -tan(phi) * tan(delta))))
    }

    /// Daily extraterrestrial radiation Ra, MJ m⁻² d⁻¹ (FAO-56 Eq. 21).
    public static func extraterrestrialDaily(
        latitude phi: Double, dayOfYear j: Int, convention: SolarConvention = .standard
    ) -> Double {
        let dr = inverseRelativeDistance(dayOfYear: j)
        let delta = declination(dayOfYear: j, convention: convention)
        let ws = sunsetHourAngle(latitude: phi, declination: delta)
        return 24 * 60 / .pi * convention.solarConstant * dr
            * (ws * sin(phi) * sin(delta) + cos(phi) * cos(delta) * sin(ws))
    }

    /// Daylight hours N (FAO-56 Eq. 34).
    public static func daylightHours(latitude phi: Double, dayOfYear j: Int, convention: SolarConvention = .standard)
        -> Double
    {
        24 / .pi * sunsetHourAngle(latitude: phi, declination: declination(dayOfYear: j, convention: convention))
    }

    /// Seasonal correction for solar time Sc, hours (FAO-56 Eqs. 32–33).
    public static func seasonalCorrection(dayOfYear j: Int) -> Double {
        let b = 2 * Double.pi * Double(j - 81) / 364
        return 0.1645 * sin(2 * b) - 0.1255 * cos(b) - 0.025 * sin(b)
    }

    /// Solar time angle ω at the middle of a period, rad (FAO-56 Eq. 31).
    ///
    /// - Parameters:
    ///   - standardTime: standard clock time at the midpoint of the period, hours (14.5 for 14:00–15:00).
    ///   - longitude: degrees east positive; `timeZoneMeridian`: centre of the time zone, degrees east positive.
    ///     FAO-56 writes (Lz − Lm) in degrees west; with east-positive values this is (longitude − meridian).
    public static func solarTimeAngle(
        standardTime t: Double, longitude: Double, timeZoneMeridian: Double, dayOfYear j: Int
    ) -> Double {
        .pi / 12 * ((t + 0.06667 * (longitude - timeZoneMeridian) + seasonalCorrection(dayOfYear: j)) - 12)
    }

    /// Extraterrestrial radiation for a period of `length` hours centred on `standardTime`, MJ m⁻² per period
    /// (FAO-56 Eqs. 28–31, with the ASCE-EWRI Eq. 56–58 limits of ω1, ω2 to ±ωs so night periods give 0).
    public static func extraterrestrialPeriod(
        latitude phi: Double, dayOfYear j: Int, standardTime t: Double, longitude: Double,
        timeZoneMeridian: Double, length: Double = 1, convention: SolarConvention = .standard
    ) -> (ra: Double, omega: Double) {
        let dr = inverseRelativeDistance(dayOfYear: j)
        let delta = declination(dayOfYear: j, convention: convention)
        let ws = sunsetHourAngle(latitude: phi, declination: delta)
        let omega = solarTimeAngle(standardTime: t, longitude: longitude, timeZoneMeridian: timeZoneMeridian, dayOfYear: j)
        var w1 = omega - .pi * length / 24
        var w2 = omega + .pi * length / 24
        w1 = min(max(w1, -ws), ws)
        w2 = min(max(w2, -ws), ws)
        if w1 > w2 { w1 = w2 }
        let ra = 12 * 60 / .pi * convention.solarConstant * dr
            * ((w2 - w1) * sin(phi) * sin(delta) + cos(phi) * cos(delta) * (sin(w2) - sin(w1)))
        return (max(ra, 0), omega)
    }

    /// Sine of the solar elevation at hour angle ω (ASCE-EWRI Eq. 62).
    public static func sinSolarElevation(
        latitude phi: Double, dayOfYear j: Int, hourAngle omega: Double, convention: SolarConvention = .standard
    ) -> Double {
        let delta = declination(dayOfYear: j, convention: convention)
        return sin(phi) * sin(delta) + cos(phi) * cos(delta) * cos(omega)
    }

    /// Solar radiation from sunshine hours, Rs = (as + bs n/N) Ra (FAO-56 Eq. 35, Ångström as 0.25, bs 0.50).
    public static func fromSunshine(hours n: Double, daylightHours: Double, ra: Double) -> Double {
        (0.25 + 0.50 * n / daylightHours) * ra
    }

    /// Solar radiation from the temperature range, Rs = krs √(Tmax − Tmin) Ra (FAO-56 Eq. 50, Hargreaves).
    public static func fromTemperatureRange(tMin: Double, tMax: Double, ra: Double, coastal: Bool) -> Double {
        (coastal ? 0.19 : 0.16) * (max(tMax - tMin, 0)).squareRoot() * ra
    }
}

/// Which set of published constants the radiation and pressure terms use.
///
/// REF-ET (the ASCE reference program) departs from the printed ASCE-EWRI (2005) equations in three constants;
/// matching it to its printed 0.01 mm/d needs them.
public enum SolarConvention: String, Sendable, Hashable, Codable, CaseIterable {
    /// FAO-56 / ASCE-EWRI (2005) as printed: δ = 0.409 sin(2πJ/365 − 1.39), Gsc = 0.0820 MJ m⁻² min⁻¹,
    /// P = 101.3 ((293 − 0.0065 z)/293)^5.26.
    case standard
    /// REF-ET v4 program: Duffie–Beckman declination, Gsc = 1367 W m⁻², pressure exponent 9.8/(0.0065 × 286.9).
    case refetSoftware = "refet"

    /// Solar constant, MJ m⁻² min⁻¹.
    public var solarConstant: Double {
        switch self {
        case .standard: SolarRadiation.solarConstant
        case .refetSoftware: 1367 * 0.0036 / 60
        }
    }

    /// Atmospheric pressure at elevation z, kPa.
    public func pressure(elevation z: Double) -> Double {
        switch self {
        case .standard: Atmosphere.pressure(elevation: z)
        case .refetSoftware: 101.3 * pow((293.0 - 0.0065 * z) / 293.0, 9.8 / (0.0065 * 286.9))
        }
    }
}

/// The clear-sky radiation model behind Rs/Rso, because the two published forms give different ET (up to 0.14 mm/d).
public enum ClearSkyModel: String, Sendable, Hashable, Codable, CaseIterable {
    /// Rso = (0.75 + 2×10⁻⁵ z) Ra — FAO-56 Eq. 37, ASCE-EWRI Eq. 19 (what pyet uses).
    case simple
    /// ASCE-EWRI (2005) Appendix D: Rso = (Kb + Kd) Ra from pressure, precipitable water and sun angle
    /// (what REF-ET uses; Kt = 1, clean air).
    case full

    /// Daily Rso, MJ m⁻² d⁻¹. `ea` (kPa) and `pressure` (kPa) are used only by `.full`.
    public func daily(ra: Double, elevation: Double, pressure: Double, ea: Double, latitude phi: Double, dayOfYear j: Int)
        -> Double
    {
        switch self {
        case .simple:
            return (0.75 + 2e-5 * elevation) * ra
        case .full:
            // ASCE-EWRI Eq. D.5: daily mean sine of the sun angle weighted by radiation, floored as REF-ET does.
            let sinBeta24 = max(
                sin(0.85 + 0.3 * phi * sin(2 * .pi / 365 * Double(j) - 1.39) - 0.42 * phi * phi), 0.1)
            return Self.fullTransmissivity(sinBeta: sinBeta24, pressure: pressure, ea: ea) * ra
        }
    }

    /// Hourly Rso for a period whose midpoint has solar elevation sine `sinBeta`.
    public func hourly(ra: Double, elevation: Double, pressure: Double, ea: Double, sinBeta: Double) -> Double {
        switch self {
        case .simple:
            return (0.75 + 2e-5 * elevation) * ra
        case .full:
            guard sinBeta > 0 else { return 0 }
            return Self.fullTransmissivity(sinBeta: max(sinBeta, 0.01), pressure: pressure, ea: ea) * ra
        }
    }

    /// Kb + Kd (ASCE-EWRI Eqs. D.2–D.4) with W = 0.14 ea P + 2.1 (Eq. D.3).
    static func fullTransmissivity(sinBeta: Double, pressure: Double, ea: Double) -> Double {
        let w = 0.14 * ea * pressure + 2.1
        let kb = 0.98 * exp(-0.00146 * pressure / sinBeta - 0.075 * pow(w / sinBeta, 0.4))
        let kd = kb >= 0.15 ? 0.35 - 0.36 * kb : 0.18 + 0.82 * kb
        return kb + kd
    }
}
