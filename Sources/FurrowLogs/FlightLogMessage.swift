/// An error, warning or status text the vehicle logged, with its time, for the flight's event list.
public struct FlightLogMessage: Sendable, Codable, Hashable {
    /// When, µs in the summary's time base (nil when the record had no time).
    public var timeMicros: Int64?
    /// Syslog / MAV_SEVERITY level (0 emergency … 7 debug); nil when the format gives none (DataFlash MSG).
    public var severity: Int?
    /// The text (ERR records read as `ERR <subsystem> <code>`).
    public var text: String

    /// A message with every field given.
    public init(timeMicros: Int64?, severity: Int?, text: String) {
        self.timeMicros = timeMicros
        self.severity = severity
        self.text = text
    }

    /// Whether this is an error (severity ≤ 3).
    public var isError: Bool { (severity ?? 7) <= 3 }
    /// Whether this is a warning (severity 4).
    public var isWarning: Bool { severity == 4 }
}
