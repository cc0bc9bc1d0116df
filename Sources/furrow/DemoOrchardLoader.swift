import Foundation
import FurrowServer
import FurrowStore
import Logging
import ServiceLifecycle

/// `--demo`: loads the simulated orchard season of SampleData/orchard/ (hourly weather, two codling moth traps with
/// weekly counts, the field) and a simulated maize harvest into the demo project once, so a newcomer sees real pest
/// and yield summaries.
struct DemoOrchardLoader: Service {
    let store: TimeSeriesStore
    let fields: FieldCatalog
    let traps: TrapCatalog
    let harvests: HarvestCatalog
    let detections: DetectionCatalog
    let project: String
    let logger: Logger

    struct TrapFile: Decodable {
        struct Entry: Decodable {
            var trap: TrapInput
            var counts: [Count]
        }

        struct Count: Decodable {
            var time: String
            var count: Int64
        }

        var traps: [Entry]
    }

    func run() async throws {
        do {
            try await load()
        } catch {
            logger.warning("demo: the orchard season was not loaded: \(error)")
        }
    }

    func load() async throws {
        guard let irrigation = DemoIrrigationLoader.directory() else {
            logger.warning("demo: SampleData not found; no orchard demo field")
            return
        }
        let directory = URL(fileURLWithPath: irrigation).deletingLastPathComponent().appendingPathComponent("orchard").path
        let input = try JSONDecoder().decode(FieldInput.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/field.json")))
        guard try !fields.fields(project: project).contains(where: { $0.name == input.name }) else { return }
        var importer = LineProtocolImporter(store: store, project: project, precision: .s)
        let text = try String(contentsOfFile: directory + "/weather.lp", encoding: .utf8)
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            try await importer.add(line: line, number: n + 1, now: Int64(Date().timeIntervalSince1970 * 1e6))
        }
        try await importer.commit()
        guard let field = try fields.save(input, project: project) else { return }
        let file = try JSONDecoder().decode(TrapFile.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/traps.json")))
        for entry in file.traps {
            let trap = try traps.create(entry.trap, field: field)
            let times = entry.counts.compactMap { StoreTime.parse($0.time) }
            guard times.count == entry.counts.count else { continue }
            try await store.append(
                TrapCatalog.group(project: project, field: field.id, trap: trap.id),
                channels: [StoreChannel(name: "count", valueType: .int64, unit: "insects")], timestamps: times,
                columns: [.int64(entry.counts.map(\.count))])
        }
        try await store.flush()
        if let boundary = field.boundary {
            let upload = try DetectionUpload(
                Data(contentsOf: URL(fileURLWithPath: directory + "/detections.geojson")), csv: false, flight: nil, boundary: boundary)
            try detections.save(upload.inside, field: field)
            logger.info(
                "demo: \(upload.inside.count) simulated scouting detections on field \(field.name): GET /v1/projects/\(project)/fields/\(field.id)/hotspots?flight=demo-scout-0612")
        }
        let maize = try JSONDecoder().decode(FieldInput.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/harvest_field.json")))
        if let maizeField = try fields.save(maize, project: project) {
            let upload = try YieldCSVImport(Data(contentsOf: URL(fileURLWithPath: directory + "/harvest.csv")))
            let harvest = try harvests.save(upload, name: "2026 maize (simulated)", crop: "corn", field: maizeField)
            logger.info(
                "demo: maize field \(maizeField.name) (id \(maizeField.id)) with a simulated harvest: GET /v1/projects/\(project)/fields/\(maizeField.id)/yield?harvest=\(harvest.id)")
        }
        logger.info(
            "demo: orchard field \(field.name) (id \(field.id), simulated season) in project \(project): GET /v1/projects/\(project)/fields/\(field.id)/pest?model=codling-moth&from=2026-03-01&to=2026-09-30")
    }
}
