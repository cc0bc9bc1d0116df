/// The fields of one ULog subscription a ``FlightSummarizer`` reads, looked up once by name.
struct ULogTopicFields: Sendable {
    let subscription: ULogSubscription
    /// The role of the topic: a key of ``FlightSummarizer/ulogTopicFields`` (`sensor_gps` reads as
    /// `vehicle_gps_position`), or anything else for topics the summary does not read.
    let topic: String
    /// Whether a flow channel reads this topic.
    let isFlow: Bool
    let fields: [String: LogField]

    init(_ subscription: ULogSubscription, topic: String, names: [String], isFlow: Bool) {
        self.subscription = subscription
        self.topic = topic
        self.isFlow = isFlow
        var found: [String: LogField] = [:]
        for field in subscription.fields where names.contains(field.name) { found[field.name] = field }
        fields = found
    }

    /// A numeric field of a data message, when the topic has it.
    func number(_ name: String, in data: ULogData) -> Double? {
        guard let field = fields[name], let base = data.body.baseAddress, field.offset + field.size <= data.body.count else {
            return nil
        }
        return field.value(in: base).doubleValue
    }
}
