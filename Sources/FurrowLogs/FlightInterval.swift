/// A span of the flight (an armed period), in the summary's time base.
public struct FlightInterval: Sendable, Codable, Hashable {
    /// First instant, µs.
    public var startMicros: Int64
    /// Last instant, µs (the last message of the log when the log ends inside the span).
    public var endMicros: Int64
    /// True when the log ended before the span did (no disarm seen).
    public var openAtEnd: Bool

    /// A span from `startMicros` to `endMicros`.
    public init(startMicros: Int64, endMicros: Int64, openAtEnd: Bool = false) {
        self.startMicros = startMicros
        self.endMicros = endMicros
        self.openAtEnd = openAtEnd
    }

    /// Length in seconds.
    public var seconds: Double { Double(endMicros - startMicros) / 1e6 }
}
