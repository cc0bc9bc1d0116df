/// What the microsecond times of a summary count from, so a caller knows whether to add ``FlightSummary/utcOffsetMicros``.
public enum FlightTimeBase: String, Sendable, Codable, Hashable {
    /// Microseconds since the Unix epoch (a .tlog's logger clock).
    case utc
    /// Microseconds since the autopilot booted (DataFlash `TimeUS`, ULog `timestamp`).
    case boot
}
