/// Which reference-ET equation produced a value, so every summary can report its provenance and never mix methods.
public enum ReferenceETMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// FAO-56 Penman–Monteith grass reference (Allen et al. 1998, Eq. 6 daily / Eq. 53 hourly).
    case fao56PenmanMonteith = "fao56-pm"
    /// ASCE-EWRI (2005) standardized short (grass, 0.12 m) reference ETos.
    case asceShortGrass = "asce-etos"
    /// ASCE-EWRI (2005) standardized tall (alfalfa, 0.5 m) reference ETrs.
    case asceTallAlfalfa = "asce-etrs"
    /// Hargreaves–Samani (1985) temperature-only estimate (FAO-56 Eq. 52).
    case hargreavesSamani = "hargreaves-samani"
}

/// The time step a reference-ET value covers.
public enum TimeStep: String, Sendable, Hashable, Codable {
    case daily
    case hourly
}

/// An input that FAO-56's missing-data rules supplied instead of a measurement.
public enum EstimatedInput: String, Sendable, Hashable, Codable, CaseIterable {
    /// No humidity: ea = e°(Tmin), i.e. Tdew ≈ Tmin (FAO-56 Eq. 48).
    case vaporPressureFromTmin = "ea_from_tmin"
    /// No Rs: Rs = (0.25 + 0.5 n/N) Ra from sunshine hours (FAO-56 Eq. 35).
    case solarFromSunshine = "rs_from_sunshine"
    /// No Rs and no sunshine: Rs = krs √(Tmax − Tmin) Ra (FAO-56 Eq. 50).
    case solarFromTemperature = "rs_from_temperature"
    /// No wind: u2 = 2 m s⁻¹ (FAO-56 chapter 3).
    case windDefault = "wind_default_2ms"
    /// Wind measured at another height, converted to 2 m (FAO-56 Eq. 47).
    case windHeightConverted = "wind_converted_to_2m"
    /// Night hour: Rs/Rso carried over from the last daylight period (FAO-56 p. 75; ASCE-EWRI Eq. 45 notes).
    case nightRadiationRatio = "rs_rso_carried_over"
    /// Temperature-only method (Hargreaves): no humidity, wind or radiation used.
    case temperatureOnly = "temperature_only"
}

/// How the actual vapour pressure ea was obtained (FAO-56 preference order, Eqs. 14–19, 48).
public enum HumiditySource: String, Sendable, Hashable, Codable {
    case vaporPressure = "ea"
    case dewPoint = "tdew"
    case rhMinMax = "rh_min_max"
    case rhMax = "rh_max"
    case rhMean = "rh_mean"
    case tMinAsDewPoint = "tmin_as_tdew"
    case none
}

/// A reference evapotranspiration value with its method and the intermediate terms, so a caller can check or report it.
public struct ReferenceET: Sendable, Hashable, Codable {
    /// Intermediate quantities of the computation (FAO-56 symbols and units, per time step).
    public struct Terms: Sendable, Hashable, Codable {
        /// Atmospheric pressure P, kPa.
        public var pressure: Double = 0
        /// Psychrometric constant γ, kPa °C⁻¹.
        public var gamma: Double = 0
        /// Saturation slope Δ, kPa °C⁻¹.
        public var delta: Double = 0
        /// Saturation vapour pressure es, kPa.
        public var es: Double = 0
        /// Actual vapour pressure ea, kPa.
        public var ea: Double = 0
        /// Extraterrestrial radiation Ra, MJ m⁻² per step.
        public var ra: Double = 0
        /// Daylight hours N (daily only).
        public var daylightHours: Double?
        /// Solar radiation Rs used, MJ m⁻² per step.
        public var rs: Double = 0
        /// Clear-sky radiation Rso, MJ m⁻² per step.
        public var rso: Double = 0
        /// Rs/Rso after its 0.3…1.0 bounds (or carried over at night).
        public var relativeShortwave: Double = 0
        /// Net shortwave Rns, MJ m⁻² per step.
        public var rns: Double = 0
        /// Net longwave Rnl, MJ m⁻² per step.
        public var rnl: Double = 0
        /// Net radiation Rn, MJ m⁻² per step.
        public var rn: Double = 0
        /// Soil heat flux G, MJ m⁻² per step.
        public var g: Double = 0
        /// Wind speed at 2 m u2, m s⁻¹.
        public var u2: Double = 0
        /// Humidity input that gave ea.
        public var humiditySource: HumiditySource = .none
        /// Hour angle ω at the period midpoint, rad (hourly only).
        public var hourAngle: Double?
    }

    /// Reference ET, mm per time step (mm d⁻¹ or mm h⁻¹). Not clipped: small negatives happen at night and in winter.
    public var value: Double
    /// The equation that produced it.
    public var method: ReferenceETMethod
    /// Daily or hourly.
    public var timeStep: TimeStep
    /// The clear-sky model used for Rso (nil for Hargreaves, which has no Rso).
    public var clearSkyModel: ClearSkyModel?
    /// Inputs supplied by FAO-56's missing-data rules rather than measured, in the order they were applied.
    public var estimated: [EstimatedInput]
    /// The intermediate quantities.
    public var terms: Terms

    public init(
        value: Double, method: ReferenceETMethod, timeStep: TimeStep, clearSkyModel: ClearSkyModel?,
        estimated: [EstimatedInput], terms: Terms
    ) {
        self.value = value
        self.method = method
        self.timeStep = timeStep
        self.clearSkyModel = clearSkyModel
        self.estimated = estimated
        self.terms = terms
    }
}
