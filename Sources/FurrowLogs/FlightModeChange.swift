/// One entry of the flight-mode timeline: from `timeMicros` on, the vehicle flew in `name`.
public struct FlightModeChange: Sendable, Codable, Hashable {
    /// When the mode began, µs in the summary's time base.
    public var timeMicros: Int64
    /// Mode name as pymavlink / PX4 spell it (`AUTO`, `QLOITER`, `AUTO_MISSION`; `Mode(n)` when unknown).
    public var name: String
    /// The autopilot's mode number (ArduPilot custom mode, PX4 nav_state).
    public var number: Int64

    /// A timeline entry with every field given.
    public init(timeMicros: Int64, name: String, number: Int64) {
        self.timeMicros = timeMicros
        self.name = name
        self.number = number
    }
}
