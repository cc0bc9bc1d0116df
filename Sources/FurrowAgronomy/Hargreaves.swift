/// Hargreaves–Samani reference ET from temperature alone, the fallback when a station has no humidity, wind or Rs.
///
/// `ET0 = 0.0023 (Tmean + 17.8) √(Tmax − Tmin) Ra'` with Ra' the extraterrestrial radiation as evaporation depth
/// (FAO-56 Eq. 52). Best used on 5–10-day means; results are tagged ``ReferenceETMethod/hargreavesSamani``.
public struct Hargreaves: Sendable, Hashable {
    /// How Ra (MJ m⁻² d⁻¹) becomes an evaporation depth (mm d⁻¹).
    public enum EnergyConversion: String, Sendable, Hashable, Codable, CaseIterable {
        /// × 0.408 = 1/λ with λ = 2.45 MJ kg⁻¹ (FAO-56 Eq. 52 as printed). Default.
        case fao56
        /// ÷ λ(Tmean) = 2.501 − 0.002361 Tmean (Jensen & Allen 2016 Eq. 8-16; what pyet does).
        case latentHeatOfTmean = "latent-heat"
    }

    /// How Ra is converted to a depth.
    public var conversion: EnergyConversion

    public init(conversion: EnergyConversion = .fao56) { self.conversion = conversion }

    /// Daily Hargreaves–Samani ET0, mm d⁻¹.
    public func daily(tMin: Double, tMax: Double, dayOfYear: Int, at site: Site) throws(AgronomyError) -> ReferenceET {
        try site.validate()
        try DailyWeather(dayOfYear: dayOfYear, tMin: tMin, tMax: tMax).validate()
        let phi = site.latitudeRadians
        let ra = SolarRadiation.extraterrestrialDaily(latitude: phi, dayOfYear: dayOfYear)
        let tMean = (tMax + tMin) / 2
        let depth: Double
        switch conversion {
        case .fao56: depth = 0.408 * ra
        case .latentHeatOfTmean: depth = ra / Atmosphere.latentHeat(tMean)
        }
        let value = 0.0023 * (tMean + 17.8) * (tMax - tMin).squareRoot() * depth
        var terms = ReferenceET.Terms()
        terms.ra = ra
        terms.daylightHours = SolarRadiation.daylightHours(latitude: phi, dayOfYear: dayOfYear)
        return ReferenceET(
            value: value, method: .hargreavesSamani, timeStep: .daily, clearSkyModel: nil,
            estimated: [.temperatureOnly], terms: terms)
    }
}
