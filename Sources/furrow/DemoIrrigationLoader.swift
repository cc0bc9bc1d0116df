import Foundation
import FurrowServer
import FurrowStore
import Logging
import ServiceLifecycle

/// `--demo`: loads the simulated irrigation season of SampleData/irrigation/ (weather, probes, flow meter and the
/// field) into the demo project once, so a newcomer sees real irrigation summaries.
struct DemoIrrigationLoader: Service {
    let store: TimeSeriesStore
    let fields: FieldCatalog
    let project: String
    let logger: Logger

    /// SampleData/irrigation next to the working directory, or above the executable (.build/<config>/furrow).
    static func directory() -> String? {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            executable, executable.deletingLastPathComponent(), executable.deletingLastPathComponent().deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("SampleData/irrigation").path }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/field.json") }
    }

    func run() async throws {
        do {
            try await load()
        } catch {
            logger.warning("demo: the irrigation season was not loaded: \(error)")
        }
    }

    func load() async throws {
        guard let directory = Self.directory() else {
            logger.warning("demo: SampleData/irrigation not found; no irrigation demo field")
            return
        }
        let input: FieldInput
        do {
            input = try JSONDecoder().decode(FieldInput.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/field.json")))
        } catch {
            logger.warning("demo: \(directory)/field.json is unreadable: \(error)")
            return
        }
        guard try !fields.fields(project: project).contains(where: { $0.name == input.name }) else { return }
        var importer = LineProtocolImporter(store: store, project: project, precision: .s)
        for file in ["weather.lp", "probes.lp", "flow.lp"] {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                try await importer.add(line: line, number: n + 1, now: Int64(Date().timeIntervalSince1970 * 1e6))
            }
            try await importer.commit()
        }
        try await store.flush()
        guard let field = try fields.save(input, project: project) else { return }
        logger.info(
            "demo: irrigation field \(field.name) (id \(field.id), simulated season) in project \(project): GET /v1/projects/\(project)/fields/\(field.id)/irrigation (\(importer.report.points) points imported)")
    }
}
