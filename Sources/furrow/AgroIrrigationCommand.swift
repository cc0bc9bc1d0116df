import ArgumentParser
import Foundation
import FurrowServer
import FurrowStore

/// `furrow agro irrigation`: the irrigation summary of a stored field, as the API gives it, without a server.
struct AgroIrrigationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "irrigation",
        abstract: "Irrigation summary of a field from the store: daily ET0, Kc, ETc, rain, applied water, root-zone balance.",
        discussion: """
            The same answer as GET /v1/projects/{project}/fields/{field}/irrigation: per local day and season \
            totals, with completeness flags, methods and input series. --field takes the field id or its name.
            """
    )

    @Option(help: "The store's SQLite file.") var db: String
    @Option(help: "Pilot project.") var project: String
    @Option(help: "Field id or name.") var field: String
    @Option(help: "First local date YYYY-MM-DD (default: planting date).") var from: String?
    @Option(help: "Last local date YYYY-MM-DD, inclusive (default: end of the crop season).") var to: String?
    @Option(help: "Output: json or csv.") var format: String = "json"

    func run() async throws {
        guard format == "json" || format == "csv" else { throw ValidationError("--format: expected json or csv") }
        guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("no store at \(db)") }
        let pool = try StoreDatabase.open(path: db, migrations: ProjectDirectory.registerMigrations)
        let store = try TimeSeriesStore(pool: pool)
        let catalog = FieldCatalog(database: pool)
        let found = try Int64(field).flatMap { try catalog.field(id: $0, project: project) }
            ?? catalog.fields(project: project).first { $0.name == field }
        guard let found else { throw ValidationError("no field \(field) in project \(project)") }
        let summary: IrrigationSummary
        do {
            summary = try await IrrigationSummarizer(store: store, fields: catalog)
                .summary(field: found, project: project, from: from, to: to)
        } catch let error as IrrigationSummaryError {
            throw AgroFailure(description: error.description)
        }
        if format == "csv" {
            print(summary.csv, terminator: "")
        } else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(JSONValue.object(summary.document)), as: UTF8.self))
        }
    }
}
