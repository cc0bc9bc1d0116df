/// Where a station stands: what the radiation and pressure terms need besides the weather.
public struct Site: Sendable, Hashable, Codable {
    /// Latitude in degrees, north positive.
    public var latitude: Double
    /// Elevation above sea level, m.
    public var elevation: Double
    /// Longitude in degrees, **east positive** (hourly ET only).
    public var longitude: Double?
    /// Longitude of the centre of the local time zone, degrees east positive (UTC+1 → 15, UTC−8 → −120).
    public var timeZoneMeridian: Double?
    /// Coastal (or near a large water body) site: krs 0.19 instead of 0.16 when Rs comes from the temperature range.
    public var coastal: Bool

    public init(
        latitude: Double, elevation: Double, longitude: Double? = nil, timeZoneMeridian: Double? = nil,
        coastal: Bool = false
    ) {
        self.latitude = latitude
        self.elevation = elevation
        self.longitude = longitude
        self.timeZoneMeridian = timeZoneMeridian
        self.coastal = coastal
    }

    /// Rejects latitudes beyond ±90°, elevations outside −500…9000 m, longitudes beyond ±180°.
    public func validate() throws(AgronomyError) {
        try Check.range(latitude, "lat", -90...90, unit: "°")
        try Check.range(elevation, "elevation", -500...9000, unit: "m")
        if let longitude { try Check.range(longitude, "lon", -180...180, unit: "°") }
        if let timeZoneMeridian { try Check.range(timeZoneMeridian, "tz_meridian", -180...180, unit: "°") }
    }

    /// Latitude in radians.
    public var latitudeRadians: Double { latitude * .pi / 180 }
}
