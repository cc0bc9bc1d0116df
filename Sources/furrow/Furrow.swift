import ArgumentParser

/// The one Furrow executable; each job is a subcommand.
@main
struct Furrow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "furrow",
        abstract: "Telemetry backend for agricultural drones and field sensors.",
        subcommands: [
            ServeCommand.self, UploadCommand.self, SimulateCommand.self, DecodeCommand.self, ImportCommand.self, QueryCommand.self,
            ProjectsCommand.self, TokensCommand.self, AgroCommand.self, ReplayCommand.self, SensorsCheckCommand.self,
            FlightCommand.self, SensorsCommand.self, ReprocessCommand.self, RetentionCommand.self,
        ]
    )
}
