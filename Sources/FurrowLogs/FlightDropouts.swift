/// Where the log lost data: ULog dropout records, or gaps in the time base of a .bin or .tlog.
public struct FlightDropouts: Sendable, Codable, Hashable {
    /// How many.
    public var count = 0
    /// Their total length, µs.
    public var totalMicros: Int64 = 0
    /// The longest, µs.
    public var longestMicros: Int64 = 0
    /// The first ones (at most ``FlightSummaryOptions/maxListedEvents``): start in the summary's time base and length.
    public var listed: [FlightInterval] = []

    /// No dropouts.
    public init() {}

    mutating func add(at time: Int64, length: Int64, cap: Int) {
        count += 1
        let (sum, overflow) = totalMicros.addingReportingOverflow(length)
        totalMicros = overflow ? .max : sum
        longestMicros = Swift.max(longestMicros, length)
        if listed.count < cap { listed.append(FlightInterval(startMicros: time, endMicros: time + length)) }
    }
}
