import ArgumentParser
import FurrowLogs

/// The options `furrow flight summary` and `furrow flight track` share: the file, its format and the swath.
struct FlightLogOptions: ParsableArguments {
    @Argument(help: "A .tlog, ArduPilot DataFlash .bin or PX4 .ulg file (recognised by its first bytes).")
    var file: String

    @Option(help: "Input format: tlog, dataflash or ulog (default: from the first bytes).")
    var input: FlightLogFormat?

    @Option(name: .customLong("swath-width"), help: "Work width in metres for the covered area (default: no area).")
    var swathWidth: Double?

    @Option(
        name: .customLong("flow"),
        help: "Integrate a flow-rate field: NAME=MESSAGE.FIELD[*SCALE] (e.g. spray=RCOU.C9*0.0166667); repeatable.")
    var flows: [String] = []

    @Flag(name: .customLong("area-while-spraying"), help: "Count area only while a --flow channel is above 0.")
    var areaWhileSpraying = false

    /// The summarizer options these flags describe.
    func summaryOptions() throws -> FlightSummaryOptions {
        var channels: [FlightFlowChannel] = []
        for spec in flows {
            do {
                channels.append(try FlightFlowChannel(specification: spec, marksSpraying: areaWhileSpraying))
            } catch {
                throw ValidationError("--flow \(error)")
            }
        }
        return FlightSummaryOptions(swathWidthMeters: swathWidth, areaOnlyWhileSpraying: areaWhileSpraying, flowChannels: channels)
    }

    /// Reads and summarises the file.
    func summary() throws -> FlightSummary {
        do {
            return try FlightLogSummary.read(path: file, format: input, options: try summaryOptions())
        } catch let error as FlightSummaryError {
            throw ValidationError(error.description)
        }
    }
}

extension FlightLogFormat: ExpressibleByArgument {}
extension TrackExportFormat: ExpressibleByArgument {}
