import Foundation

/// One day of station weather as measured, with every field but the temperatures optional, so FAO-56's
/// missing-data rules can fill the gaps and say they did.
public struct DailyWeather: Sendable, Hashable, Codable {
    /// Day of the year, 1…366.
    public var dayOfYear: Int
    /// Daily minimum air temperature at 2 m, °C.
    public var tMin: Double
    /// Daily maximum air temperature at 2 m, °C.
    public var tMax: Double
    /// Mean dew point, °C (preferred humidity input, FAO-56 Eq. 14).
    public var tDew: Double?
    /// Minimum relative humidity, %.
    public var rhMin: Double?
    /// Maximum relative humidity, %.
    public var rhMax: Double?
    /// Mean relative humidity, % (FAO-56 Eq. 19, the weakest humidity input).
    public var rhMean: Double?
    /// Actual vapour pressure ea, kPa, when a station reports it directly.
    public var vaporPressure: Double?
    /// Incoming solar radiation Rs, MJ m⁻² d⁻¹.
    public var solarRadiation: Double?
    /// Bright sunshine hours n (used when Rs is absent, FAO-56 Eq. 35).
    public var sunshineHours: Double?
    /// Mean wind speed at `windHeight`, m s⁻¹.
    public var windSpeed: Double?
    /// Anemometer height, m (default 2).
    public var windHeight: Double
    /// Soil heat flux G, MJ m⁻² d⁻¹; nil means the daily value 0 (FAO-56 Eq. 42). Monthly steps pass Eq. 43/44.
    public var soilHeatFlux: Double?

    public init(
        dayOfYear: Int, tMin: Double, tMax: Double, tDew: Double? = nil, rhMin: Double? = nil, rhMax: Double? = nil,
        rhMean: Double? = nil, vaporPressure: Double? = nil, solarRadiation: Double? = nil,
        sunshineHours: Double? = nil, windSpeed: Double? = nil, windHeight: Double = 2, soilHeatFlux: Double? = nil
    ) {
        self.dayOfYear = dayOfYear
        self.tMin = tMin
        self.tMax = tMax
        self.tDew = tDew
        self.rhMin = rhMin
        self.rhMax = rhMax
        self.rhMean = rhMean
        self.vaporPressure = vaporPressure
        self.solarRadiation = solarRadiation
        self.sunshineHours = sunshineHours
        self.windSpeed = windSpeed
        self.windHeight = windHeight
        self.soilHeatFlux = soilHeatFlux
    }

    /// Rejects physically impossible values with the field and the reason; never clamps them.
    public func validate() throws(AgronomyError) {
        guard (1...366).contains(dayOfYear) else {
            throw AgronomyError(.outOfRange, field: "day_of_year", "\(dayOfYear) is not a day of the year (1…366)")
        }
        try Check.range(tMin, "tmin", -90...60, unit: "°C")
        try Check.range(tMax, "tmax", -90...60, unit: "°C")
        guard tMin <= tMax else {
            throw AgronomyError(.inconsistent, field: "tmin", "Tmin \(tMin) °C is above Tmax \(tMax) °C")
        }
        if let tDew {
            try Check.range(tDew, "tdew", -90...60, unit: "°C")
            guard tDew <= tMax else {
                throw AgronomyError(
                    .inconsistent, field: "tdew", "dew point \(tDew) °C is above the day's maximum \(tMax) °C")
            }
        }
        if let rhMin { try Check.range(rhMin, "rh_min", 0...100, unit: "%") }
        if let rhMax { try Check.range(rhMax, "rh_max", 0...100, unit: "%") }
        if let rhMean { try Check.range(rhMean, "rh_mean", 0...100, unit: "%") }
        if let rhMin, let rhMax, rhMin > rhMax {
            throw AgronomyError(.inconsistent, field: "rh_min", "RHmin \(rhMin) % is above RHmax \(rhMax) %")
        }
        if let vaporPressure {
            try Check.nonNegative(vaporPressure, "vapor_pressure", unit: "kPa")
            let esMax = Atmosphere.saturationVaporPressure(tMax)
            guard vaporPressure <= esMax * 1.001 else {
                throw AgronomyError(
                    .inconsistent, field: "vapor_pressure",
                    "ea \(vaporPressure) kPa exceeds saturation at Tmax (\((esMax * 1000).rounded() / 1000) kPa)")
            }
        }
        if let solarRadiation { try Check.nonNegative(solarRadiation, "rs", unit: "MJ m-2 d-1") }
        if let sunshineHours { try Check.range(sunshineHours, "sunshine_hours", 0...24, unit: "h") }
        if let windSpeed { try Check.range(windSpeed, "wind", 0...75, unit: "m/s") }
        try Check.range(windHeight, "wind_height", 0.5...100, unit: "m")
        if let soilHeatFlux { try Check.range(soilHeatFlux, "soil_heat_flux", -20...20, unit: "MJ m-2 d-1") }
    }
}

/// One hour (or shorter period) of station weather for the hourly PM forms.
public struct HourlyWeather: Sendable, Hashable, Codable {
    /// Day of the year of the period, 1…366.
    public var dayOfYear: Int
    /// Standard (not daylight-saving) clock time at the **middle** of the period, hours: 14.5 for 14:00–15:00.
    public var standardTime: Double
    /// Mean air temperature over the period, °C.
    public var temperature: Double
    /// Mean dew point, °C (preferred).
    public var tDew: Double?
    /// Mean relative humidity, %.
    public var relativeHumidity: Double?
    /// Actual vapour pressure, kPa.
    public var vaporPressure: Double?
    /// Solar radiation over the period, MJ m⁻² per period (W m⁻² × 0.0036 for one hour).
    public var solarRadiation: Double
    /// Mean wind speed at `windHeight`, m s⁻¹; nil uses 2 m s⁻¹.
    public var windSpeed: Double?
    /// Anemometer height, m.
    public var windHeight: Double
    /// Length of the period, hours (1 for hourly data).
    public var periodLength: Double

    public init(
        dayOfYear: Int, standardTime: Double, temperature: Double, tDew: Double? = nil,
        relativeHumidity: Double? = nil, vaporPressure: Double? = nil, solarRadiation: Double,
        windSpeed: Double? = nil, windHeight: Double = 2, periodLength: Double = 1
    ) {
        self.dayOfYear = dayOfYear
        self.standardTime = standardTime
        self.temperature = temperature
        self.tDew = tDew
        self.relativeHumidity = relativeHumidity
        self.vaporPressure = vaporPressure
        self.solarRadiation = solarRadiation
        self.windSpeed = windSpeed
        self.windHeight = windHeight
        self.periodLength = periodLength
    }

    /// Rejects physically impossible values with the field and the reason.
    public func validate() throws(AgronomyError) {
        guard (1...366).contains(dayOfYear) else {
            throw AgronomyError(.outOfRange, field: "day_of_year", "\(dayOfYear) is not a day of the year (1…366)")
        }
        try Check.range(standardTime, "time", 0...24, unit: "h")
        try Check.range(temperature, "temperature", -90...60, unit: "°C")
        if let tDew {
            try Check.range(tDew, "tdew", -90...60, unit: "°C")
            guard tDew <= temperature + 0.5 else {
                throw AgronomyError(
                    .inconsistent, field: "tdew", "dew point \(tDew) °C is above the air temperature \(temperature) °C")
            }
        }
        if let relativeHumidity { try Check.range(relativeHumidity, "rh", 0...100, unit: "%") }
        if let vaporPressure { try Check.nonNegative(vaporPressure, "vapor_pressure", unit: "kPa") }
        try Check.nonNegative(solarRadiation, "rs", unit: "MJ m-2 per period")
        if let windSpeed { try Check.range(windSpeed, "wind", 0...75, unit: "m/s") }
        try Check.range(windHeight, "wind_height", 0.5...100, unit: "m")
        try Check.range(periodLength, "period_length", 0.01...24, unit: "h")
    }
}
