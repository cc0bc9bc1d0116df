import Metrics

/// The metric handles of one sensor (or one LoRaWAN link), made once when its poller starts.
///
/// `furrow_sensor_readings_total{source}` and `furrow_sensor_errors_total{source,kind}` with kind one of
/// `timeout`, `crc`, `exception`, `frame`, `replay`, `mic`, `decode`, `unknown_devaddr`, `bad_json`,
/// `open` (the device could not be opened).
public struct SensorMetrics: Sendable {
    /// The error kinds, as they appear in the `kind` label.
    public enum Kind: String, Sendable, CaseIterable {
        case timeout, crc, exception, frame, replay, mic, decode
        case unknownDevAddr = "unknown_devaddr"
        case badJSON = "bad_json"
        case open
    }

    public let source: String
    let readings: Counter
    let errors: [Kind: Counter]

    public init(source: String, factory: any MetricsFactory = MetricsSystem.factory) {
        self.source = source
        readings = Counter(label: "furrow_sensor_readings_total", dimensions: [("source", source)], factory: factory)
        var errors: [Kind: Counter] = [:]
        for kind in Kind.allCases {
            errors[kind] = Counter(
                label: "furrow_sensor_errors_total", dimensions: [("source", source), ("kind", kind.rawValue)], factory: factory)
        }
        self.errors = errors
    }

    /// Counts one stored reading.
    public func reading() { readings.increment() }

    /// Counts one problem of `kind`.
    public func error(_ kind: Kind) { errors[kind]?.increment() }
}
