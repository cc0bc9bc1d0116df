/// The integrated total of one ``FlightFlowChannel`` over the log.
public struct FlightFlowTotal: Sendable, Codable, Hashable {
    /// The channel's name.
    public var name: String
    /// ∫ value × scale dt, seconds.
    public var total: Double
    /// The channel's unit.
    public var unit: String
    /// Samples seen.
    public var samples: Int

    /// A total with every field given.
    public init(name: String, total: Double, unit: String, samples: Int) {
        self.name = name
        self.total = total
        self.unit = unit
        self.samples = samples
    }
}
