import FurrowWire

/// Builds a ``FlightSummary`` while a flight log is read once: feed it every record, message or event the
/// matching reader delivers, then call `finish`.
///
/// Memory stays bounded except for the track (one ``TrackPoint`` per GPS fix) and the parameters: messages
/// and dropouts are listed up to ``FlightSummaryOptions/maxListedEvents`` and counted beyond.
///
/// ```swift
/// var reader = DataFlashReader()
/// var summarizer = FlightSummarizer(format: .dataflash, options: .init(swathWidthMeters: 6))
/// try ChunkedFileReader(path: "flight.bin").forEachChunk { chunk in
///     reader.feed(chunk) { summarizer.add($0) }
/// }
/// reader.finish { summarizer.add($0) }
/// let summary = summarizer.finish(reader: reader)
/// ```
/// ``FlightLogSummary/read(path:format:options:)`` does all of this for a file.
public struct FlightSummarizer: Sendable {
    /// The format being summarised.
    public let format: FlightLogFormat
    var accumulator: FlightAccumulator

    // MARK: .tlog state
    /// MAVLink system id of the vehicle (the first HEARTBEAT that is not a GCS and has an autopilot).
    var vehicleSystem: UInt8?
    var mavType: Int64?
    var sawBatteryStatus = false
    var systemStatusBattery: FlightBatteryAccumulator?
    let dialect = MAVLinkDialect.ardupilotmega
    /// Message names (or topics) that a flow channel reads.
    let flowMessages: Set<String>

    // MARK: .bin state
    var arduPilotVehicle: FlightModeNames.ArduPilotVehicle?
    var dataflashRoles: [(name: String, role: DataFlashRole)?] = Array(repeating: nil, count: 256)
    var sawDataflashArm = false

    // MARK: .ulg state
    var ulogFields: [UInt16: ULogTopicFields] = [:]
    var ulogGPSTopic: String?

    /// A summarizer for one log of `format`.
    public init(format: FlightLogFormat, options: FlightSummaryOptions = FlightSummaryOptions()) {
        self.format = format
        flowMessages = Set(options.flowChannels.map(\.message))
        accumulator = FlightAccumulator(
            format: format, timeBase: format == .tlog ? .utc : .boot, options: options, detectsGaps: format != .ulog)
    }

    /// The summary so far (without start/end, distance and area, which ``finish(truncation:)`` derives).
    public var partial: FlightSummary { accumulator.summary }

    /// Ends the log: closes an armed period still open at the last message and derives the figures.
    public mutating func finish(truncation: LogTruncation? = nil) -> FlightSummary {
        if format == .tlog, !sawBatteryStatus, let battery = systemStatusBattery {
            accumulator.batteries[battery.instance] = battery
        }
        if format == .dataflash {
            // Mode names need the vehicle type, which a MSG banner or VER may give only after the first MODE.
            for i in accumulator.summary.modes.indices {
                accumulator.summary.modes[i].name = FlightModeNames.arduPilot(
                    accumulator.summary.modes[i].number, vehicle: arduPilotVehicle)
            }
            if arduPilotVehicle == nil, !accumulator.summary.modes.isEmpty {
                accumulator.summary.notes.append("vehicle type unknown: mode numbers are not named")
            }
        }
        var summary = accumulator.finish()
        if let truncation {
            summary.truncation = truncation.description
            summary.notes.append("the file is cut: the summary covers the log up to byte \(truncation.offset)")
        }
        return summary
    }

    /// Ends a .tlog.
    public mutating func finish(reader: TlogReader) -> FlightSummary {
        var summary = finish(truncation: nil)
        let skipped = reader.framer.statistics.bytesSkipped
        if skipped > 0 { summary.notes.append("\(skipped) bytes of the .tlog were not part of a valid record") }
        return summary
    }

    /// Ends a .bin: takes the parameters and the cut from the reader.
    public mutating func finish(reader: DataFlashReader) -> FlightSummary {
        for parameter in reader.parameters { accumulator.summary.parameters[parameter.name] = Double(parameter.value) }
        return finish(truncation: reader.truncation)
    }

    /// Ends a .ulg: takes the cut from the reader.
    public mutating func finish(reader: ULogReader) -> FlightSummary {
        finish(truncation: reader.truncation)
    }
}
