import ArgumentParser
import Foundation
import FurrowAgronomy
import FurrowServer

/// `furrow agro yield`: a yield-monitor CSV cleaned and mapped — the API's yield summary on a file.
struct AgroYieldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yield",
        abstract: "Yield-monitor CSV → cleaning report, dry yield at standard moisture, statistics and a grid map (JSON or GeoJSON).",
        discussion: """
            Columns (header names, units in brackets): lon, lat, mass flow (lb/s|kg/s), moisture (%), speed \
            (m/s|km/h|mph|ft/s) or distance (m|ft|in), swath (m|ft|in), time (s or RFC 3339); optional interval (s), \
            pass, header (1/0). A missing column, an unknown unit or a bad row is reported with its row number.
            """
    )

    @Option(help: "The yield-monitor CSV file.") var input: String
    @Option(help: "Crop for the standard moisture: corn (maize), soybean, wheat.") var crop: String?
    @Option(help: "Standard moisture, % (overrides the crop's).") var standardMoisture: Double?
    @Option(help: "symmetric (default) or never-above-wet.") var moisturePolicy = "symmetric"
    @Option(help: "Grid cell size, m.") var cellSize = 10.0
    @Option(help: "A field JSON (with a GeoJSON boundary) or a GeoJSON Polygon: records outside are removed.") var boundary: String?
    @Option(help: "json (default) or geojson (the map only).") var format = "json"

    func run() throws {
        let upload: YieldCSVImport
        do {
            upload = try YieldCSVImport(Data(contentsOf: URL(fileURLWithPath: input)))
        } catch let error as YieldCSVImport.Failure {
            throw ValidationError("\(input): \(error.description)")
        }
        var options = YieldSummary.Options()
        options.standardMoisture = standardMoisture
        options.cellSize = cellSize
        guard let policy = DryYield.MoisturePolicy(rawValue: moisturePolicy) else {
            throw ValidationError("--moisture-policy: symmetric or never-above-wet")
        }
        options.policy = policy
        guard format == "json" || format == "geojson" else { throw ValidationError("--format: json or geojson") }
        var polygon: FieldBoundary?
        if let boundary {
            let data = try Data(contentsOf: URL(fileURLWithPath: boundary))
            struct Wrapped: Decodable { var boundary: FieldBoundary }
            polygon = (try? JSONDecoder().decode(Wrapped.self, from: data))?.boundary
            if polygon == nil {
                do {
                    polygon = try JSONDecoder().decode(FieldBoundary.self, from: data)
                } catch {
                    throw ValidationError("\(boundary): neither a field with a boundary nor a GeoJSON Polygon: \(error)")
                }
            }
        }
        let summary: YieldSummary
        do {
            summary = try YieldSummary(
                records: upload.records,
                source: .init(harvestID: nil, name: input, columns: upload.columns, fieldID: nil, crop: crop, boundary: polygon),
                options: options)
        } catch {
            throw ValidationError("\(error.parameter): \(error.message)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        let value = format == "geojson" ? summary.map : JSONValue.object(summary.document)
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
