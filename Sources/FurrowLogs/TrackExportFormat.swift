/// The track export formats, so a CLI flag or an HTTP route can pick a writer by name.
public enum TrackExportFormat: String, Sendable, Codable, Hashable, CaseIterable {
    /// GeoJSON (RFC 7946) Feature with a LineString.
    case geojson
    /// KML 2.2 Placemark with an absolute-altitude LineString.
    case kml
    /// GPX 1.1 track.
    case gpx

    /// The media type to serve the export with.
    public var mediaType: String {
        switch self {
        case .geojson: "application/geo+json"
        case .kml: "application/vnd.google-earth.kml+xml"
        case .gpx: "application/gpx+xml"
        }
    }

    /// The usual file extension.
    public var fileExtension: String { rawValue }

    /// Writes the summary's track in this format to `sink` in chunks of about `chunkSize` bytes.
    public func write(_ summary: FlightSummary, chunkSize: Int = 1 << 16, to sink: @escaping (String) throws -> Void) throws {
        switch self {
        case .geojson: try GeoJSONTrackWriter(chunkSize: chunkSize).write(summary, to: sink)
        case .kml: try KMLTrackWriter(chunkSize: chunkSize).write(summary, to: sink)
        case .gpx: try GPXTrackWriter(chunkSize: chunkSize).write(summary, to: sink)
        }
    }

    /// The whole export as one string (small tracks, tests).
    public func render(_ summary: FlightSummary) -> String {
        var out = ""
        // A sink that only appends cannot throw.
        try? write(summary) { out += $0 }
        return out
    }
}
