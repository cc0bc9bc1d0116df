/// How a ``FlightSummarizer`` summarises: swath for the covered area, flow channels, limits.
public struct FlightSummaryOptions: Sendable, Codable, Hashable {
    /// Spray / work width in metres for the covered area; nil computes no area.
    public var swathWidthMeters: Double?
    /// Raster cell edge for the covered area, metres (0.25 m gives < 1 % error for swaths ≥ 2 m).
    public var areaCellMeters: Double
    /// Count only track segments flown while a spraying ``FlightFlowChannel`` is on (else: while armed).
    public var areaOnlyWhileSpraying: Bool
    /// Flow-rate fields to integrate.
    public var flowChannels: [FlightFlowChannel]
    /// A gap in the time base longer than this counts as a dropout (.bin, .tlog), µs. 2 s by default: telemetry
    /// streamed at 1 Hz (the real vtol.tlog) arrives in bursts 1.0–1.1 s apart, which a 1 s threshold counts.
    public var gapThresholdMicros: Int64
    /// At most this many messages and dropouts are listed (all are counted).
    public var maxListedEvents: Int

    /// Options; the defaults compute no area, integrate no flow and count gaps from 2 s.
    public init(
        swathWidthMeters: Double? = nil, areaCellMeters: Double = 0.25, areaOnlyWhileSpraying: Bool = false,
        flowChannels: [FlightFlowChannel] = [], gapThresholdMicros: Int64 = 2_000_000, maxListedEvents: Int = 1000
    ) {
        self.swathWidthMeters = swathWidthMeters
        self.areaCellMeters = areaCellMeters
        self.areaOnlyWhileSpraying = areaOnlyWhileSpraying
        self.flowChannels = flowChannels
        self.gapThresholdMicros = gapThresholdMicros
        self.maxListedEvents = maxListedEvents
    }
}
