import ArgumentParser
import Foundation
import FurrowLogs

/// `furrow flight summary`: the flight summary as JSON (without the track unless asked).
struct FlightSummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a flight log's summary: vehicle, times, armed periods, distance, altitudes, area, batteries, modes, messages.",
        discussion: """
            Times are microseconds: UTC for a .tlog, since boot for .bin/.ulg with utcOffsetMicros \
            (UTC = time + offset) when the log has GPS time. The track (one point per GPS fix) is left out \
            unless --track is given; gpsPointCount says how many points it has.
            """
    )

    enum Output: String, ExpressibleByArgument {
        case json
    }

    @OptionGroup var log: FlightLogOptions

    @Option(help: "Output format (json).")
    var format: Output = .json

    @Flag(help: "Include the track points.")
    var track = false

    @Flag(help: "Include the parameters.")
    var parameters = false

    @Flag(help: "Indent the JSON.")
    var pretty = false

    func run() throws {
        var summary = try log.summary()
        if !track { summary.track = [] }
        if !parameters { summary.parameters = [:] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var data = try encoder.encode(summary)
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }
}
