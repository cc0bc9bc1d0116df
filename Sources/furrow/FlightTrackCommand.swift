import ArgumentParser
import Foundation
import FurrowLogs

/// `furrow flight track`: the GPS track as GeoJSON, KML or GPX on standard output.
struct FlightTrackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "track",
        abstract: "Export a flight log's GPS track as GeoJSON, KML 2.2 or GPX 1.1 to standard output."
    )

    @OptionGroup var log: FlightLogOptions

    @Option(help: "geojson, kml or gpx.")
    var format: TrackExportFormat = .geojson

    func run() throws {
        let summary = try log.summary()
        try format.write(summary) { FileHandle.standardOutput.write(Data($0.utf8)) }
    }
}
