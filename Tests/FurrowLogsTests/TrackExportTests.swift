import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import FurrowLogs

/// The exports parse back (Foundation's XMLParser and JSONSerialization, in the test only) with every point
/// in place, hostile text is escaped, and the writers stream in pieces.
@Suite("track exports")
struct TrackExportTests {
    static func sample() -> FlightSummary {
        var s = FlightSummary(format: .dataflash, timeBase: .boot)
        s.utcOffsetMicros = 1_600_000_000_000_000
        s.vehicle.vehicleType = "Ardu<Copter> & \"friends\" 'x'"
        s.vehicle.firmware = "V4 \u{1} ctrl"
        for k in 0..<500 {
            s.track.append(
                TrackPoint(
                    timeMicros: 10_000_000 + Int64(k) * 200_000, latitude: -35.36 + Double(k) * 1e-6,
                    longitude: 149.16 - Double(k) * 2e-6, altitudeMSL: 584.5 + Double(k % 7), altitudeRelative: 2, speed: 3))
        }
        s.gpsPointCount = s.track.count
        s.startMicros = s.track.first?.timeMicros
        s.endMicros = s.track.last?.timeMicros
        s.truncation = "cut <here>"
        return s
    }

    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var text = ""
        var attributes: [[String: String]] = []
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            elements[name, default: 0] += 1
            if name == "trkpt" { self.attributes.append(attributes) }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    static func parseXML(_ text: String) -> Collector? {
        let parser = XMLParser(data: Data(text.utf8))
        let collector = Collector()
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }

    @Test("GPX 1.1 parses back with one trkpt per fix, ele and ISO time")
    func gpx() throws {
        let s = Self.sample()
        let text = TrackExportFormat.gpx.render(s)
        let c = try #require(Self.parseXML(text))
        #expect(c.elements["trkpt"] == 500)
        #expect(c.elements["ele"] == 500)
        #expect(c.elements["time"] == 501)
        #expect(c.attributes.first?["lat"] == "-35.3600000")
        #expect(text.contains("<time>2020-09-13T12:26:50.000Z</time>"))
        #expect(c.text.contains("Ardu<Copter> & \"friends\" 'x'"))
    }

    @Test("KML 2.2 parses back with one coordinate tuple per fix")
    func kml() throws {
        let text = TrackExportFormat.kml.render(Self.sample())
        let c = try #require(Self.parseXML(text))
        #expect(c.elements["LineString"] == 1)
        #expect(text.contains("<altitudeMode>absolute</altitudeMode>"))
        let start = try #require(text.range(of: "<coordinates>\n"))
        let end = try #require(text.range(of: "</coordinates>"))
        let tuples = text[start.upperBound..<end.lowerBound].split(separator: "\n")
        #expect(tuples.count == 500)
        #expect(tuples.first == "149.1600000,-35.3600000,584.50")
    }

    @Test("GeoJSON parses back as a Feature with a LineString of [lon, lat, alt]")
    func geojson() throws {
        let text = TrackExportFormat.geojson.render(Self.sample())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "Feature")
        let geometry = try #require(object["geometry"] as? [String: Any])
        #expect(geometry["type"] as? String == "LineString")
        let coordinates = try #require(geometry["coordinates"] as? [[Double]])
        #expect(coordinates.count == 500)
        #expect(coordinates[0] == [149.16, -35.36, 584.5])
        let properties = try #require(object["properties"] as? [String: Any])
        #expect(properties["vehicleType"] as? String == "Ardu<Copter> & \"friends\" 'x'")
        #expect(properties["start"] as? String == "2020-09-13T12:26:50.000Z")
    }

    @Test("empty and one-point tracks are still valid documents")
    func small() throws {
        var s = FlightSummary(format: .ulog, timeBase: .boot)
        #expect(Self.parseXML(TrackExportFormat.gpx.render(s)) != nil)
        #expect(Self.parseXML(TrackExportFormat.kml.render(s)) != nil)
        let empty = try JSONSerialization.jsonObject(with: Data(TrackExportFormat.geojson.render(s).utf8)) as? [String: Any]
        #expect(empty?["geometry"] is NSNull)
        s.track = [TrackPoint(timeMicros: 1, latitude: 1, longitude: 2, altitudeMSL: 3)]
        let one = try JSONSerialization.jsonObject(with: Data(TrackExportFormat.geojson.render(s).utf8)) as? [String: Any]
        #expect((one?["geometry"] as? [String: Any])?["type"] as? String == "Point")
        #expect(Self.parseXML(TrackExportFormat.gpx.render(s)) != nil)
    }

    @Test("writers hand over the text in pieces that join to the whole", arguments: TrackExportFormat.allCases)
    func streaming(_ format: TrackExportFormat) throws {
        let s = Self.sample()
        var pieces: [String] = []
        try format.write(s, chunkSize: 1024) { pieces.append($0) }
        #expect(pieces.count > 3)
        #expect(pieces.joined() == format.render(s))
        #expect(pieces.dropLast().allSatisfy { $0.utf8.count < 1024 + 512 })
    }

    @Test("the real .tlog exports parse back")
    func realTlog() throws {
        let url = FlightSummaryTests.realData.appendingPathComponent("UAVLogViewer__vtol.tlog")
        let s = try FlightLogSummary.read(path: url.path)
        let c = try #require(Self.parseXML(TrackExportFormat.gpx.render(s)))
        #expect(c.elements["trkpt"] == s.gpsPointCount)
        #expect(Self.parseXML(TrackExportFormat.kml.render(s)) != nil)
        #expect(try JSONSerialization.jsonObject(with: Data(TrackExportFormat.geojson.render(s).utf8)) is [String: Any])
    }
}
