/// One yield-monitor record in SI units (typically 1 s logging), the input to cleaning and maps; monitor formats
/// (Ag Leader text, ISO 11783) are converted to this at import.
public struct YieldRecord: Sendable, Hashable, Codable {
    /// Seconds (GPS time or any monotonic clock).
    public var time: Double
    public var longitude: Double
    public var latitude: Double
    /// Wet grain mass flow, kg/s.
    public var massFlow: Double
    /// Grain moisture, % wet basis.
    public var moisture: Double
    /// Ground speed, m/s.
    public var speed: Double
    /// Active cutting width, m.
    public var swath: Double
    /// Logging interval this record covers, s.
    public var interval: Double
    /// Pass (transect) number from the monitor.
    public var pass: Int
    /// Header down (harvesting).
    public var headerDown: Bool
    /// GPS dilution of precision, if logged.
    public var dop: Double?

    public init(
        time: Double, longitude: Double, latitude: Double, massFlow: Double, moisture: Double, speed: Double,
        swath: Double, interval: Double = 1, pass: Int = 0, headerDown: Bool = true, dop: Double? = nil
    ) {
        self.time = time
        self.longitude = longitude
        self.latitude = latitude
        self.massFlow = massFlow
        self.moisture = moisture
        self.speed = speed
        self.swath = swath
        self.interval = interval
        self.pass = pass
        self.headerDown = headerDown
        self.dop = dop
    }

    /// Distance travelled in the interval, m.
    public var distance: Double { speed * interval }
    /// Area harvested in the interval, m².
    public var area: Double { swath * speed * interval }

    /// Wet yield `q / (w·v)`, kg/ha; nil when speed or swath is zero.
    public var wetYield: Double? {
        guard speed > 0, swath > 0 else { return nil }
        return massFlow / (swath * speed) * 10_000
    }

    func validate(_ i: Int) throws(AgronomyError) {
        let f = "records[\(i)]"
        try Check.finite(time, "\(f).time")
        try Check.range(longitude, "\(f).lon", -180...180, unit: "°")
        try Check.range(latitude, "\(f).lat", -90...90, unit: "°")
        try Check.nonNegative(massFlow, "\(f).mass_flow", unit: "kg/s")
        try Check.range(moisture, "\(f).moisture", 0..<100, unit: "%")
        try Check.nonNegative(speed, "\(f).speed", unit: "m/s")
        try Check.nonNegative(swath, "\(f).swath", unit: "m")
        try Check.positive(interval, "\(f).interval", unit: "s")
        if let dop { try Check.nonNegative(dop, "\(f).dop", unit: "") }
    }
}
