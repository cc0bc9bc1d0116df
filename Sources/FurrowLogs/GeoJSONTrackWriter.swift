/// Writes a flight's track as one GeoJSON Feature (RFC 7946): a LineString of `[lon, lat, alt MSL]` with the
/// summary basics as properties, for web maps and GIS.
public struct GeoJSONTrackWriter: Sendable {
    /// Bytes per piece handed to the sink.
    public var chunkSize: Int

    /// A writer handing the sink pieces of about `chunkSize` bytes.
    public init(chunkSize: Int = 1 << 16) {
        self.chunkSize = chunkSize
    }

    /// Writes the Feature to `sink` in pieces. A track of one point is a Point; no track gives `"geometry": null`.
    public func write(_ summary: FlightSummary, to sink: @escaping (String) throws -> Void) throws {
        var out = TrackTextSink(chunkSize: chunkSize, sink: sink)
        try out.write("{\"type\":\"Feature\",\"properties\":{")
        var props: [String] = [
            "\"name\":" + ExportText.json(summary.exportTitle),
            "\"format\":" + ExportText.json(summary.format.rawValue),
            "\"durationSeconds\":" + ExportText.fixed(summary.durationSeconds, digits: 3),
            "\"distanceMeters\":" + ExportText.fixed(summary.distanceMeters, digits: 2),
            "\"gpsPointCount\":\(summary.gpsPointCount)",
            "\"timeBase\":" + ExportText.json(summary.timeBase.rawValue),
        ]
        if let v = summary.vehicle.vehicleType { props.append("\"vehicleType\":" + ExportText.json(v)) }
        if let v = summary.vehicle.autopilot { props.append("\"autopilot\":" + ExportText.json(v)) }
        if let v = summary.vehicle.firmware { props.append("\"firmware\":" + ExportText.json(v)) }
        if let s = summary.isoTime(summary.startMicros) { props.append("\"start\":" + ExportText.json(s)) }
        if let s = summary.isoTime(summary.endMicros) { props.append("\"end\":" + ExportText.json(s)) }
        if let m = summary.maxAltitudeMSL { props.append("\"maxAltitudeMSL\":" + ExportText.fixed(m, digits: 2)) }
        if let m = summary.maxAltitudeRelative { props.append("\"maxAltitudeRelative\":" + ExportText.fixed(m, digits: 2)) }
        if let a = summary.coveredAreaSquareMeters { props.append("\"coveredAreaSquareMeters\":" + ExportText.fixed(a, digits: 2)) }
        if let w = summary.swathWidthMeters { props.append("\"swathWidthMeters\":" + ExportText.fixed(w, digits: 3)) }
        if let t = summary.truncation { props.append("\"truncation\":" + ExportText.json(t)) }
        try out.write(props.joined(separator: ","))
        try out.write("},\"geometry\":")
        switch summary.track.count {
        case 0:
            try out.write("null")
        case 1:
            try out.write("{\"type\":\"Point\",\"coordinates\":" + Self.position(summary.track[0]) + "}")
        default:
            try out.write("{\"type\":\"LineString\",\"coordinates\":[")
            for (i, point) in summary.track.enumerated() {
                try out.write((i == 0 ? "" : ",") + Self.position(point))
            }
            try out.write("]}")
        }
        try out.write("}\n")
        try out.flush()
    }

    static func position(_ p: TrackPoint) -> String {
        "[" + ExportText.fixed(p.longitude, digits: 7) + "," + ExportText.fixed(p.latitude, digits: 7) + ","
            + ExportText.fixed(p.altitudeMSL, digits: 2) + "]"
    }
}
