/// The values of one finished SDI-12 measurement.
public struct SDI12Measurement: Sendable, Hashable {
    public let address: SDI12Address
    /// The sensor's `atttn`/`atttnn` reply that announced the measurement.
    public let reply: SDI12MeasurementReply
    /// The values from D0, D1… in order (at least `reply.count`).
    public let values: [SDI12Value]
    /// How many commands had to be sent again (timeouts, CRC errors, garbled lines).
    public let retries: Int

    public init(address: SDI12Address, reply: SDI12MeasurementReply, values: [SDI12Value], retries: Int) {
        self.address = address
        self.reply = reply
        self.values = values
        self.retries = retries
    }
}
