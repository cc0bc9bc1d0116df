import Foundation

/// FAO-56 Penman–Monteith and the ASCE-EWRI standardized reference ET, daily and hourly, in one type because they
/// differ only in constants (Cn, Cd, σ, G) and in the clear-sky model.
///
/// Conventions (stated because peers differ):
/// - Rs/Rso is bounded to 0.3…1.0 (ASCE-EWRI Eq. 18; FAO-56 states only the upper bound; pyet and REF-ET bound both).
/// - T in the daily form is (Tmax + Tmin)/2 (FAO-56 Eq. 9); Δ is taken at that T.
/// - Kelvin offset 273.16 in Rnl (FAO-56 Eq. 39), 273 in the aerodynamic term (Eq. 6).
/// - σ: FAO-56 4.903×10⁻⁹ d⁻¹ / 2.043×10⁻¹⁰ h⁻¹; ASCE-EWRI 4.901×10⁻⁹ d⁻¹ / 2.042×10⁻¹⁰ h⁻¹.
/// - When Rs is estimated from the temperature range it is capped at Rso (FAO-56 Eq. 50 note).
/// - Values are not clipped at zero.
///
/// ```swift
/// let et0 = try PenmanMonteith().daily(weather, at: Site(latitude: 50.8, elevation: 100))
/// print(et0.value, et0.method)   // 3.88 fao56-pm
/// ```
public struct PenmanMonteith: Sendable, Hashable {
    /// The reference surface and constants; Hargreaves is not a PM method and is rejected.
    public var method: ReferenceETMethod
    /// Rso model (``ClearSkyModel/simple`` = FAO-56 Eq. 37 by default).
    public var clearSky: ClearSkyModel
    /// Printed-equation constants (default) or REF-ET's program constants.
    public var convention: SolarConvention

    public init(
        _ method: ReferenceETMethod = .fao56PenmanMonteith, clearSky: ClearSkyModel = .simple,
        convention: SolarConvention = .standard
    ) {
        self.method = method
        self.clearSky = clearSky
        self.convention = convention
    }

    // MARK: - Constants

    struct Constants {
        var cn: Double
        var cdDay: Double
        var cdNight: Double
        var gDay: Double
        var gNight: Double
        var sigma: Double
    }

    func constants(_ step: TimeStep) throws(AgronomyError) -> Constants {
        switch (method, step) {
        case (.fao56PenmanMonteith, .daily):
            return Constants(cn: 900, cdDay: 0.34, cdNight: 0.34, gDay: 0, gNight: 0,
                             sigma: SolarRadiation.stefanBoltzmannDailyFAO)
        case (.fao56PenmanMonteith, .hourly):
            return Constants(cn: 37, cdDay: 0.34, cdNight: 0.34, gDay: 0.1, gNight: 0.5,
                             sigma: SolarRadiation.stefanBoltzmannHourlyFAO)
        case (.asceShortGrass, .daily):
            return Constants(cn: 900, cdDay: 0.34, cdNight: 0.34, gDay: 0, gNight: 0,
                             sigma: SolarRadiation.stefanBoltzmannDailyASCE)
        case (.asceShortGrass, .hourly):
            return Constants(cn: 37, cdDay: 0.24, cdNight: 0.96, gDay: 0.1, gNight: 0.5,
                             sigma: SolarRadiation.stefanBoltzmannHourlyASCE)
        case (.asceTallAlfalfa, .daily):
            return Constants(cn: 1600, cdDay: 0.38, cdNight: 0.38, gDay: 0, gNight: 0,
                             sigma: SolarRadiation.stefanBoltzmannDailyASCE)
        case (.asceTallAlfalfa, .hourly):
            return Constants(cn: 66, cdDay: 0.25, cdNight: 1.7, gDay: 0.04, gNight: 0.2,
                             sigma: SolarRadiation.stefanBoltzmannHourlyASCE)
        case (.hargreavesSamani, _):
            throw AgronomyError(.inconsistent, field: "method", "Hargreaves is not a Penman–Monteith method; use Hargreaves")
        }
    }

    // MARK: - Daily

    /// Daily reference ET, mm d⁻¹, applying FAO-56's missing-data rules for humidity, radiation and wind.
    /// - Throws: ``AgronomyError`` for impossible inputs (validated first) or Rs above Ra.
    public func daily(_ w: DailyWeather, at site: Site) throws(AgronomyError) -> ReferenceET {
        try site.validate()
        try w.validate()
        let k = try constants(.daily)
        var estimated: [EstimatedInput] = []
        var t = ReferenceET.Terms()
        let phi = site.latitudeRadians
        let j = w.dayOfYear
        let tMean = (w.tMax + w.tMin) / 2

        t.pressure = convention.pressure(elevation: site.elevation)
        t.gamma = Atmosphere.psychrometricConstant(pressure: t.pressure)
        t.delta = Atmosphere.saturationSlope(tMean)
        let eMax = Atmosphere.saturationVaporPressure(w.tMax)
        let eMin = Atmosphere.saturationVaporPressure(w.tMin)
        t.es = (eMax + eMin) / 2

        // Humidity, FAO-56 preference order.
        if let ea = w.vaporPressure {
            t.ea = ea
            t.humiditySource = .vaporPressure
        } else if let tDew = w.tDew {
            t.ea = Atmosphere.saturationVaporPressure(tDew)
            t.humiditySource = .dewPoint
        } else if let rhMin = w.rhMin, let rhMax = w.rhMax {
            t.ea = (eMin * rhMax / 100 + eMax * rhMin / 100) / 2
            t.humiditySource = .rhMinMax
        } else if let rhMax = w.rhMax {
            t.ea = eMin * rhMax / 100
            t.humiditySource = .rhMax
        } else if let rhMean = w.rhMean {
            t.ea = rhMean / 100 * t.es
            t.humiditySource = .rhMean
        } else {
            t.ea = eMin
            t.humiditySource = .tMinAsDewPoint
            estimated.append(.vaporPressureFromTmin)
        }

        // Radiation.
        t.ra = SolarRadiation.extraterrestrialDaily(latitude: phi, dayOfYear: j, convention: convention)
        let daylight = SolarRadiation.daylightHours(latitude: phi, dayOfYear: j, convention: convention)
        t.daylightHours = daylight
        t.rso = clearSky.daily(ra: t.ra, elevation: site.elevation, pressure: t.pressure, ea: t.ea, latitude: phi, dayOfYear: j)
        if let rs = w.solarRadiation {
            guard rs <= t.ra * 1.0001 || t.ra == 0 && rs == 0 else {
                throw AgronomyError(
                    .inconsistent, field: "rs",
                    "Rs \(rs) MJ m-2 d-1 exceeds the extraterrestrial radiation Ra \((t.ra * 100).rounded() / 100) for day \(j) at latitude \(site.latitude)")
            }
            t.rs = rs
        } else if let n = w.sunshineHours {
            guard n <= daylight + 0.05 else {
                throw AgronomyError(
                    .inconsistent, field: "sunshine_hours",
                    "\(n) h of sunshine exceeds the \((daylight * 10).rounded() / 10) h of daylight on day \(j)")
            }
            t.rs = SolarRadiation.fromSunshine(hours: n, daylightHours: daylight, ra: t.ra)
            estimated.append(.solarFromSunshine)
        } else {
            t.rs = min(
                SolarRadiation.fromTemperatureRange(tMin: w.tMin, tMax: w.tMax, ra: t.ra, coastal: site.coastal), t.rso)
            estimated.append(.solarFromTemperature)
        }
        t.relativeShortwave = t.rso > 0 ? min(max(t.rs / t.rso, 0.3), 1.0) : 0.3
        t.rns = (1 - 0.23) * t.rs
        let tMaxK = w.tMax + 273.16
        let tMinK = w.tMin + 273.16
        t.rnl = k.sigma * (pow(tMaxK, 4) + pow(tMinK, 4)) / 2 * (0.34 - 0.14 * t.ea.squareRoot())
            * (1.35 * t.relativeShortwave - 0.35)
        t.rn = t.rns - t.rnl
        t.g = w.soilHeatFlux ?? 0

        // Wind.
        if let u = w.windSpeed {
            if w.windHeight == 2 {
                t.u2 = u
            } else {
                t.u2 = Atmosphere.windAt2m(speed: u, height: w.windHeight)
                estimated.append(.windHeightConverted)
            }
        } else {
            t.u2 = 2
            estimated.append(.windDefault)
        }

        let value = Self.combine(delta: t.delta, rn: t.rn, g: t.g, gamma: t.gamma, cn: k.cn, cd: k.cdDay,
                                 temperature: tMean, u2: t.u2, vpd: t.es - t.ea)
        return ReferenceET(value: value, method: method, timeStep: .daily, clearSkyModel: clearSky,
                           estimated: estimated, terms: t)
    }

    /// The common PM/ASCE form: [0.408 Δ (Rn − G) + γ Cn/(T + 273) u2 (es − ea)] / [Δ + γ (1 + Cd u2)].
    @inlinable
    static func combine(
        delta: Double, rn: Double, g: Double, gamma: Double, cn: Double, cd: Double, temperature: Double, u2: Double,
        vpd: Double
    ) -> Double {
        (0.408 * delta * (rn - g) + gamma * cn / (temperature + 273) * u2 * vpd) / (delta + gamma * (1 + cd * u2))
    }

    // MARK: - Hourly

    /// Hourly (sub-daily) reference ET, mm per period.
    ///
    /// - Parameter nightRadiationRatio: Rs/Rso to use when the sun is too low for a measured ratio (FAO-56: Ra = 0,
    ///   the ratio of the period 2–3 h before sunset; ASCE-EWRI: solar elevation ≤ 0.3 rad, the last period above it).
    ///   ``hourlySeries(_:at:initialNightRatio:)`` carries it for you.
    /// - Throws: ``AgronomyError/Code/missingInput`` when a night period has no carried ratio, or when the site has no
    ///   longitude/time-zone meridian.
    public func hourly(_ w: HourlyWeather, at site: Site, nightRadiationRatio: Double? = nil)
        throws(AgronomyError) -> ReferenceET
    {
        try hourlyDetailed(w, at: site, nightRadiationRatio: nightRadiationRatio).result
    }

    /// Hourly values over a series, carrying Rs/Rso into the night from the last period with enough sun.
    public func hourlySeries(_ hours: [HourlyWeather], at site: Site, initialNightRatio: Double? = nil)
        throws(AgronomyError) -> [ReferenceET]
    {
        var carried = initialNightRatio
        var out: [ReferenceET] = []
        out.reserveCapacity(hours.count)
        for hour in hours {
            let (result, measured) = try hourlyDetailed(hour, at: site, nightRadiationRatio: carried)
            if let measured { carried = measured }
            out.append(result)
        }
        return out
    }

    /// Returns the value and, when the sun was high enough, the measured Rs/Rso to carry forward.
    func hourlyDetailed(_ w: HourlyWeather, at site: Site, nightRadiationRatio: Double?)
        throws(AgronomyError) -> (result: ReferenceET, measuredRatio: Double?)
    {
        try site.validate()
        try w.validate()
        guard let longitude = site.longitude, let meridian = site.timeZoneMeridian else {
            throw AgronomyError(
                .missingInput, field: site.longitude == nil ? "lon" : "tz_meridian",
                "hourly ET needs the station longitude and its time-zone meridian for solar time")
        }
        let k = try constants(.hourly)
        var estimated: [EstimatedInput] = []
        var t = ReferenceET.Terms()
        let phi = site.latitudeRadians
        let j = w.dayOfYear
        let temp = w.temperature

        t.pressure = convention.pressure(elevation: site.elevation)
        t.gamma = Atmosphere.psychrometricConstant(pressure: t.pressure)
        t.delta = Atmosphere.saturationSlope(temp)
        t.es = Atmosphere.saturationVaporPressure(temp)
        if let ea = w.vaporPressure {
            t.ea = ea
            t.humiditySource = .vaporPressure
        } else if let tDew = w.tDew {
            t.ea = Atmosphere.saturationVaporPressure(tDew)
            t.humiditySource = .dewPoint
        } else if let rh = w.relativeHumidity {
            t.ea = t.es * rh / 100
            t.humiditySource = .rhMean
        } else {
            throw AgronomyError(.missingInput, field: "rh", "hourly ET needs a dew point, RH or vapour pressure")
        }

        let (ra, omega) = SolarRadiation.extraterrestrialPeriod(
            latitude: phi, dayOfYear: j, standardTime: w.standardTime, longitude: longitude,
            timeZoneMeridian: meridian, length: w.periodLength, convention: convention)
        t.ra = ra
        t.hourAngle = omega
        let sinBeta = SolarRadiation.sinSolarElevation(
            latitude: phi, dayOfYear: j, hourAngle: omega, convention: convention)
        t.rso = clearSky.hourly(ra: ra, elevation: site.elevation, pressure: t.pressure, ea: t.ea, sinBeta: sinBeta)
        t.rs = w.solarRadiation
        let sunHighEnough: Bool
        switch method {
        case .fao56PenmanMonteith: sunHighEnough = t.rso > 0
        default: sunHighEnough = sinBeta > sin(0.3)  // ASCE-EWRI: β > 0.3 rad
        }
        var measured: Double?
        if sunHighEnough {
            t.relativeShortwave = min(max(t.rs / t.rso, 0.3), 1.0)
            measured = t.relativeShortwave
        } else if let carried = nightRadiationRatio {
            t.relativeShortwave = carried
            estimated.append(.nightRadiationRatio)
        } else {
            throw AgronomyError(
                .missingInput, field: "night_rs_rso",
                "the sun is too low on day \(j) at \(w.standardTime) h for Rs/Rso; pass the ratio of the last sunny period")
        }
        t.rns = (1 - 0.23) * t.rs
        t.rnl = k.sigma * pow(temp + 273.16, 4) * (0.34 - 0.14 * t.ea.squareRoot())
            * (1.35 * t.relativeShortwave - 0.35) * w.periodLength
        t.rn = t.rns - t.rnl
        let isDay: Bool
        switch method {
        case .fao56PenmanMonteith: isDay = ra > 0  // FAO-56 Eqs. 45–46: daylight vs night periods
        default: isDay = t.rn > 0  // ASCE-EWRI: daytime when Rn > 0
        }
        t.g = (isDay ? k.gDay : k.gNight) * t.rn
        if let u = w.windSpeed {
            if w.windHeight == 2 {
                t.u2 = u
            } else {
                t.u2 = Atmosphere.windAt2m(speed: u, height: w.windHeight)
                estimated.append(.windHeightConverted)
            }
        } else {
            t.u2 = 2
            estimated.append(.windDefault)
        }
        let value = Self.combine(delta: t.delta, rn: t.rn, g: t.g, gamma: t.gamma, cn: k.cn * w.periodLength,
                                 cd: isDay ? k.cdDay : k.cdNight, temperature: temp, u2: t.u2, vpd: t.es - t.ea)
        let result = ReferenceET(value: value, method: method, timeStep: .hourly, clearSkyModel: clearSky,
                                 estimated: estimated, terms: t)
        return (result, measured)
    }

    /// Monthly soil heat flux from mean air temperatures, MJ m⁻² d⁻¹ (FAO-56 Eq. 43, or Eq. 44 without the next month).
    public static func monthlySoilHeatFlux(previousMonth: Double, currentMonth: Double, nextMonth: Double?) -> Double {
        if let nextMonth { return 0.07 * (nextMonth - previousMonth) }
        return 0.14 * (currentMonth - previousMonth)
    }
}
