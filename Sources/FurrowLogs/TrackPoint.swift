/// One GPS fix of the flight track, kept at the GPS rate for maps and exports.
public struct TrackPoint: Sendable, Codable, Hashable {
    /// Time in the summary's ``FlightTimeBase`` (µs).
    public var timeMicros: Int64
    /// Latitude, degrees (WGS84).
    public var latitude: Double
    /// Longitude, degrees (WGS84).
    public var longitude: Double
    /// Altitude above mean sea level, metres (GPS).
    public var altitudeMSL: Double
    /// Altitude above home / take-off, metres (the latest relative-altitude sample at this fix), when known.
    public var altitudeRelative: Double?
    /// Ground speed, m/s, when the GPS message carries it.
    public var speed: Double?
    /// Whether the vehicle was armed at this fix (false when the log never says).
    public var armed: Bool

    /// A fix with every field given.
    public init(
        timeMicros: Int64, latitude: Double, longitude: Double, altitudeMSL: Double, altitudeRelative: Double? = nil,
        speed: Double? = nil, armed: Bool = false
    ) {
        self.timeMicros = timeMicros
        self.latitude = latitude
        self.longitude = longitude
        self.altitudeMSL = altitudeMSL
        self.altitudeRelative = altitudeRelative
        self.speed = speed
        self.armed = armed
    }
}
