/// A parameter from a DataFlash PARM record.
public struct DataFlashParameter: Sendable, Hashable {
    /// `TimeUS` of the record.
    public let timeMicros: UInt64?
    /// The parameter name (`WPNAV_SPEED`).
    public let name: String
    /// The value at that time.
    public let value: Float
    /// The firmware default, when the log records it (newer ArduPilot; NaN in the log means "none").
    public let defaultValue: Float?
    /// File offset of the record.
    public let offset: Int
}
