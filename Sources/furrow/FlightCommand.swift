import ArgumentParser

/// `furrow flight`: what a flight log says at a glance (summary) and its track as GeoJSON, KML or GPX.
struct FlightCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flight",
        abstract: "Summarise a flight log (.tlog, ArduPilot .bin, PX4 .ulg) or export its GPS track.",
        subcommands: [FlightSummaryCommand.self, FlightTrackCommand.self]
    )
}
