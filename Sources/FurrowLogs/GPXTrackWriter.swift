/// Writes a flight's track as GPX 1.1 (`trk/trkseg/trkpt` with `ele` and UTC `time`), for GPS tools.
public struct GPXTrackWriter: Sendable {
    /// Bytes per piece handed to the sink.
    public var chunkSize: Int

    /// A writer handing the sink pieces of about `chunkSize` bytes.
    public init(chunkSize: Int = 1 << 16) {
        self.chunkSize = chunkSize
    }

    /// Writes the document to `sink` in pieces. Point times are written only when the summary knows UTC
    /// (``FlightSummary/utcOffsetMicros``); `ele` is the altitude above mean sea level.
    public func write(_ summary: FlightSummary, to sink: @escaping (String) throws -> Void) throws {
        var out = TrackTextSink(chunkSize: chunkSize, sink: sink)
        let title = ExportText.xml(summary.exportTitle)
        try out.write(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"Furrow\" "
                + "xmlns=\"http://www.topografix.com/GPX/1/1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                + "xsi:schemaLocation=\"http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd\">\n")
        try out.write("<metadata>\n<name>\(title)</name>\n<desc>\(ExportText.xml(summary.exportDescription))</desc>\n")
        if let start = summary.isoTime(summary.startMicros) { try out.write("<time>\(start)</time>\n") }
        try out.write("</metadata>\n<trk>\n<name>\(title)</name>\n<trkseg>\n")
        for p in summary.track {
            var lon = p.longitude
            if lon >= 180 { lon -= 360 }  // GPX longitudes are [-180, 180)
            try out.write(
                "<trkpt lat=\"" + ExportText.fixed(p.latitude, digits: 7) + "\" lon=\"" + ExportText.fixed(lon, digits: 7)
                    + "\"><ele>" + ExportText.fixed(p.altitudeMSL, digits: 2) + "</ele>")
            if let time = summary.isoTime(p.timeMicros) { try out.write("<time>\(time)</time>") }
            try out.write("</trkpt>\n")
        }
        try out.write("</trkseg>\n</trk>\n</gpx>\n")
        try out.flush()
    }
}
