/// A text or event record from a DataFlash log: MSG (text), EV (event id), ERR (subsystem error).
public struct DataFlashLogEvent: Sendable, Hashable {
    /// What the record says.
    public enum Kind: Sendable, Hashable {
        /// MSG: a status text (`ArduCopter V4.0.0`, `Mission: 1 WP`).
        case text(String)
        /// EV: an event id (`LogEvent` in ArduPilot: armed, disarmed, land complete, …).
        case event(id: Int64)
        /// ERR: a subsystem and its error code (`LogErrorSubsystem`, `LogErrorCode`).
        case error(subsystem: Int64, code: Int64)
    }

    /// `TimeUS` of the record.
    public let timeMicros: UInt64?
    /// What happened.
    public let kind: Kind
    /// File offset of the record.
    public let offset: Int
}
