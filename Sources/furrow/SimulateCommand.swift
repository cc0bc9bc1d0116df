import ArgumentParser
import FurrowIngest
import FurrowWire

/// `furrow simulate`: a fleet of simulated agricultural drones sending MAVLink telemetry.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a fleet of agricultural drones sending MAVLink telemetry (UDP, a pty, or a .tlog).",
        discussion: """
            Each drone flies ArduCopter sorties over its own 200 m × 120 m field near 41.65 N, 0.88 W (arm, take \
            off, a block of lanes in a lawnmower pattern, RTL, land, disarm, battery swap) and sends about \
            48 messages/s (50 for sprayers). The same --seed and --start-time give byte-identical output. \
            --duration is simulated time. UDP and pty output go out in real time × --speed, at a fixed \
            --rate, or with --max-rate as fast as possible (UDP: all frames are generated first, then sent \
            with sendmmsg, so the figure is the sender's own). A .tlog is always written as fast as possible. \
            Frames, bytes and the achieved rate are printed on standard error at the end.
            """,
        subcommands: [SimulateSensorsCommand.self]
    )

    enum MissionArgument: String, ExpressibleByArgument, CaseIterable {
        case survey, spray
    }

    @Option(help: "Number of drones (system ids 1…255, then component ids 2, 3, … for larger fleets).")
    var drones = 1

    @Option(help: "Mission: survey (30 m, camera) or spray (4 m, pump, SPRAY_LPM).")
    var mission: MissionArgument = .spray

    @Option(help: "Seed of everything random.")
    var seed: UInt64 = 1

    @Option(help: "Simulated seconds to send.")
    var duration: Double = 60

    @Option(help: "Simulated seconds per real second (UDP, pty).")
    var speed: Double?

    @Flag(name: .customLong("max-rate"), help: "Send as fast as possible (UDP, pty).")
    var maxRate = false

    @Option(help: "Send this many messages per second, whatever their timestamps (UDP, pty).")
    var rate: Double?

    @Option(help: "Send UDP datagrams to HOST:PORT (e.g. 127.0.0.1:14550, [::1]:14550).")
    var udp: String?

    @Flag(name: .customLong("socket-per-drone"), help: "With --udp: one socket (source port) per drone.")
    var socketPerDrone = false

    @Flag(help: "Write to a new pseudo-terminal; its path is printed on standard output.")
    var pty = false

    @Option(help: "Write a .tlog file.")
    var tlog: String?

    @Option(name: .customLong("start-time"), help: "Simulated start, seconds since the Unix epoch (default: now).")
    var startTime: Double?

    @Option(name: .customLong("mavlink-version"), help: "MAVLink framing: 2 (default) or 1.")
    var mavlinkVersion = 2

    @Flag(name: .customLong("no-stagger"), help: "Start every drone parked instead of at a random point of its sortie.")
    var noStagger = false

    mutating func validate() throws {
        // None at all is checked in run(): `furrow simulate sensors` passes through here with no drone output.
        guard outputCount <= 1 else { throw ValidationError("Give exactly one of --udp HOST:PORT, --pty, --tlog FILE.") }
        guard [speed != nil, maxRate, rate != nil].filter({ $0 }).count <= 1 else {
            throw ValidationError("--speed, --rate and --max-rate exclude each other.")
        }
        guard drones >= 1 else { throw ValidationError("--drones must be at least 1.") }
        guard duration > 0 else { throw ValidationError("--duration must be positive.") }
        if let speed, !(speed > 0) { throw ValidationError("--speed must be positive.") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be positive.") }
        guard mavlinkVersion == 1 || mavlinkVersion == 2 else { throw ValidationError("--mavlink-version must be 1 or 2.") }
        if socketPerDrone && udp == nil { throw ValidationError("--socket-per-drone needs --udp.") }
        if let udp, Self.splitHostPort(udp) == nil { throw ValidationError("--udp wants HOST:PORT, not \(udp).") }
    }

    /// `host:port`, `[v6]:port` → (host, port).
    static func splitHostPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    var outputCount: Int { [udp != nil, pty, tlog != nil].filter { $0 }.count }

    func run() async throws {
        guard outputCount == 1 else { throw ValidationError("Give exactly one of --udp HOST:PORT, --pty, --tlog FILE.") }
        let start = startTime.map { Int64($0 * 1e6) } ?? receiveClockMicroseconds()
        let fleet = FleetSimulator(
            drones: drones, mission: mission == .survey ? .survey : .spray, seed: seed, startTime: start,
            staggered: !noStagger, version: mavlinkVersion == 1 ? .v1 : .v2)
        let pacing: SimulationPacing =
            maxRate ? .asFastAsPossible : rate.map { .rate($0) } ?? .realTime(speed: speed ?? 1)
        let feed = SimulatedFeed(fleet: fleet)
        if let tlog {
            let writer = try TlogFileWriter(path: tlog)
            let report = try await feed.run(to: writer, pacing: .asFastAsPossible, duration: duration)
            printError(summary(report, what: "frames written to \(tlog)"))
        } else if pty {
            let writer = try PTYFrameWriter()
            writeAll(1, Array("\(writer.path)\n".utf8))
            let report = try await feed.run(to: writer, pacing: pacing, duration: duration)
            printError(summary(report, what: "frames written to \(writer.path)"))
        } else if let udp, let (host, port) = Self.splitHostPort(udp) {
            let sender = try UDPFrameSender(host: host, port: port, sockets: socketPerDrone ? drones : 1, connected: true)
            let sockets = socketPerDrone ? "\(drones) sockets" : "one socket"
            if maxRate {
                try sendPregenerated(fleet: fleet, to: sender, start: start, sockets: sockets)
            } else {
                let report = try await feed.run(to: sender, pacing: pacing, duration: duration)
                printError(summary(report, what: "datagrams sent to \(udp) from \(sockets)"))
            }
        }
    }

    /// --max-rate over UDP: generate everything first, then time the sender alone.
    func sendPregenerated(fleet: FleetSimulator, to sender: UDPFrameSender, start: Int64, sockets: String) throws {
        var fleet = fleet
        let clock = ContinuousClock()
        let generating = clock.now
        let batches = fleet.batches(until: start + Int64(duration * 1e6))
        let generated = clock.now - generating
        let frames = batches.reduce(0) { $0 + $1.count }
        let bytes = batches.reduce(0) { $0 + $1.bytes.count }
        printError(
            "simulate: generated \(frames) frames (\(bytes) bytes) in \(format(generated.inSeconds, 3)) s: "
                + "\(format(Double(frames) / generated.inSeconds, 0)) frames/s")
        let sending = clock.now
        for batch in batches { try sender.write(batch) }
        let sent = clock.now - sending
        var report = SimulationReport()
        report.frames = sender.datagramsSent
        report.bytes = sender.bytesSent
        report.dropped = sender.framesDropped
        report.simulatedMicroseconds = Int64(duration * 1e6)
        report.elapsed = sent
        printError(summary(report, what: "datagrams sent to \(udp ?? "") from \(sockets) (sendmmsg)"))
    }

    func summary(_ report: SimulationReport, what: String) -> String {
        let seconds = report.elapsed.inSeconds
        var text = "simulate: \(report.frames) \(what), \(report.bytes) bytes in \(format(seconds, 3)) s: "
        text += "\(format(report.framesPerSecond, 0)) frames/s, \(format(Double(report.bytes) / Swift.max(seconds, 1e-9) / 1e6, 1)) MB/s"
        text += "; \(drones) drones, \(format(Double(report.simulatedMicroseconds) / 1e6, 1)) s simulated"
        if report.dropped > 0 { text += "; \(report.dropped) frames dropped" }
        return text
    }

    func format(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return decimals == 0 ? String(Int(rounded)) : String(rounded)
    }
}

extension Duration {
    fileprivate var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
