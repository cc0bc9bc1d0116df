/// Everything a researcher asks of one flight log at a glance: who flew, when, where, how far, how high,
/// how much battery and spray, in which modes, what went wrong, and the GPS track.
///
/// Times are microseconds in ``timeBase``: UTC for a .tlog; time since boot for .bin and .ulg, with
/// ``utcOffsetMicros`` (UTC = boot + offset) when the log has GPS time.
public struct FlightSummary: Sendable, Codable, Hashable {
    /// The log format.
    public var format: FlightLogFormat
    /// Vehicle, autopilot, firmware and hardware.
    public var vehicle = FlightVehicle()
    /// What the times count from.
    public var timeBase: FlightTimeBase
    /// UTC µs = time µs + this; 0 for a .tlog; nil when a .bin/.ulg has no GPS time (times stay boot-relative).
    public var utcOffsetMicros: Int64?
    /// Where the UTC offset came from (`GPS.GWk/GMS`, `vehicle_gps_position.time_utc_usec`), or why there is none.
    public var utcOffsetSource: String
    /// Start: the first armed instant when arming is known, else the first message.
    public var startMicros: Int64?
    /// End: the last armed instant when arming is known, else the last message.
    public var endMicros: Int64?
    /// Whether start and end come from arming (true) or from the first and last message (false).
    public var startEndFromArming = false
    /// First and last message time, whatever arming says.
    public var logSpan: FlightInterval?
    /// Armed periods in order.
    public var armedPeriods: [FlightInterval] = []
    /// Horizontal geodesic (WGS84) distance along the valid GPS fixes, metres: only between fixes flown while
    /// armed when arming is known, else along the whole track.
    public var distanceMeters: Double = 0
    /// Highest GPS altitude above mean sea level of a valid fix, metres.
    public var maxAltitudeMSL: Double?
    /// Highest altitude above home / take-off, metres (see ``relativeAltitudeSource``).
    public var maxAltitudeRelative: Double?
    /// Which field the relative altitude comes from (`GLOBAL_POSITION_INT.relative_alt`, `POS.RelHomeAlt`,
    /// `GPS.Alt - GPS.Alt at arming`, `-vehicle_local_position.z`).
    public var relativeAltitudeSource: String?
    /// The swath width the area was computed with.
    public var swathWidthMeters: Double?
    /// Area of the union of the swath-buffered armed (or spraying) track, m²; nil without a swath width.
    public var coveredAreaSquareMeters: Double?
    /// Valid GPS fixes (= track points).
    public var gpsPointCount = 0
    /// Per battery instance.
    public var batteries: [FlightBatterySummary] = []
    /// Integrated flow channels.
    public var flows: [FlightFlowTotal] = []
    /// Flight-mode timeline (one entry per change).
    public var modes: [FlightModeChange] = []
    /// Errors and warnings (and DataFlash MSG texts), at most ``FlightSummaryOptions/maxListedEvents``.
    public var messages: [FlightLogMessage] = []
    /// Errors (severity ≤ 3, DataFlash ERR) counted, listed or not.
    public var errorCount = 0
    /// Warnings (severity 4) counted, listed or not.
    public var warningCount = 0
    /// Messages without a severity (DataFlash MSG) counted, listed or not.
    public var textCount = 0
    /// Data lost: ULog dropouts, or time-base gaps in .bin/.tlog.
    public var dropouts = FlightDropouts()
    /// The GPS track at the GPS rate.
    public var track: [TrackPoint] = []
    /// Parameters, last value per name.
    public var parameters: [String: Double] = [:]
    /// Where the file was cut, when it was.
    public var truncation: String?
    /// What the summary could not determine, and other caveats.
    public var notes: [String] = []

    /// An empty summary of `format` with times in `timeBase` (UTC offset 0 for UTC, unknown for boot time).
    public init(format: FlightLogFormat, timeBase: FlightTimeBase) {
        self.format = format
        self.timeBase = timeBase
        self.utcOffsetSource = timeBase == .utc ? "the .tlog timestamps are UTC" : "no GPS time in the log"
        self.utcOffsetMicros = timeBase == .utc ? 0 : nil
    }

    /// Duration from ``startMicros`` to ``endMicros``, seconds.
    public var durationSeconds: Double {
        guard let s = startMicros, let e = endMicros else { return 0 }
        return Double(e - s) / 1e6
    }

    /// A time of this summary as UTC µs, when the offset is known.
    public func utcMicros(_ time: Int64) -> Int64? {
        utcOffsetMicros.map { time + $0 }
    }
}
