/// Writes a flight's track as KML 2.2 (a Placemark with an absolute-altitude LineString), for Google Earth.
public struct KMLTrackWriter: Sendable {
    /// Bytes per piece handed to the sink.
    public var chunkSize: Int

    /// A writer handing the sink pieces of about `chunkSize` bytes.
    public init(chunkSize: Int = 1 << 16) {
        self.chunkSize = chunkSize
    }

    /// Writes the document to `sink` in pieces; coordinates are `lon,lat,alt MSL` tuples.
    public func write(_ summary: FlightSummary, to sink: @escaping (String) throws -> Void) throws {
        var out = TrackTextSink(chunkSize: chunkSize, sink: sink)
        let title = ExportText.xml(summary.exportTitle)
        try out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n")
        try out.write("<name>\(title)</name>\n<Placemark>\n<name>\(title)</name>\n")
        try out.write("<description>\(ExportText.xml(summary.exportDescription))</description>\n")
        if summary.track.count >= 2 {
            try out.write("<LineString>\n<tessellate>0</tessellate>\n<altitudeMode>absolute</altitudeMode>\n<coordinates>\n")
            for p in summary.track {
                try out.write(
                    ExportText.fixed(p.longitude, digits: 7) + "," + ExportText.fixed(p.latitude, digits: 7) + ","
                        + ExportText.fixed(p.altitudeMSL, digits: 2) + "\n")
            }
            try out.write("</coordinates>\n</LineString>\n")
        } else if let p = summary.track.first {
            try out.write(
                "<Point>\n<altitudeMode>absolute</altitudeMode>\n<coordinates>" + ExportText.fixed(p.longitude, digits: 7) + ","
                    + ExportText.fixed(p.latitude, digits: 7) + "," + ExportText.fixed(p.altitudeMSL, digits: 2)
                    + "</coordinates>\n</Point>\n")
        }
        try out.write("</Placemark>\n</Document>\n</kml>\n")
        try out.flush()
    }
}
