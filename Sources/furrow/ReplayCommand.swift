import ArgumentParser
import Foundation
import FurrowIngest
import FurrowStore

#if canImport(Glibc)
    import Glibc
#endif

/// `furrow replay`: send recorded telemetry again, byte for byte, with its original timing or faster.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a source's raw archive, a .tlog, or a .bin/.ulg as MAVLink, to UDP, TCP, a serial port or a new pty.",
        discussion: """
            From the archive: --project and --source (the link name, e.g. udp14550) with --from/--to (µs or \
            ISO 8601 with a zone) or --flight ID. From a file: --file X.tlog. Every archived receive goes out as \
            it came in (one UDP datagram per archived datagram, one per frame of a file). Timing: the original \
            inter-arrival times / --speed, or --max-rate. A status line on standard error shows position, rate \
            and lag.

            Paced, the replay runs on a thread of its own that sleeps to each record's time and asks for \
            real-time priority (SCHED_FIFO 1: root, CAP_SYS_NICE or `ulimit -r 1`), so a busy machine does not \
            hold frames back: at load 6-9 on 2 cores the 1x timing error p99 fell from 2-11 ms to 0.1-1.5 ms. \
            Without permission (or with --no-realtime) it paces at normal priority and says so at the end; a \
            replay more than 200 ms behind its schedule drops the priority (it cannot keep the timing anyway).

            --coalesce BYTES (UDP only, off by default) joins consecutive records into datagrams of at most BYTES \
            (1400 fits an Ethernet MTU; up to 65507): records are never split and the byte stream is exactly the \
            archived bytes in order, only the packetisation changes. MAVLink receivers (pymavlink udpin, \
            MAVProxy, QGroundControl, furrow serve) parse every frame of a datagram. Paced, only records due \
            within the same 200 µs leave together; with --max-rate it is what lifts the rate past the kernel's \
            per-datagram cost (~315,000 datagrams/s over this VM's loopback).

            Rewriting (off by default: then the bytes out are exactly the bytes archived): --sysid N writes N \
            into every frame of a known message and recomputes its CRC; a signed MAVLink 2 frame loses its \
            signature and the signed flag. --timestamps now adds (now - receive time) to every uint64 \
            time_unix_usec / time_usec field holding a Unix time (>= 1e15 us: SYSTEM_TIME, GPS_RAW_INT, \
            GPS2_RAW, GPS_INPUT, HIL_GPS and the like); boot-relative times and GPS week fields are kept. \
            --only / --exclude MSG,MSG send only (or not) those messages; with a filter, bytes outside \
            CRC-valid frames (serial noise) are dropped too. A record left empty is not sent.

            A .bin (DataFlash) or .ulg (ULog) --file is re-encoded as MAVLink 2 from system 1, timed by \
            TimeUS / timestamp: HEARTBEAT (MODE.ModeNum, ARM/EV armed; vehicle_status nav_state, arming_state; \
            repeated every 1 s), GPS_RAW_INT and VFR_HUD (GPS instance 0; vehicle_gps_position or sensor_gps), \
            GLOBAL_POSITION_INT (POS with the last GPS velocity; vehicle_global_position, else each 3-D GPS \
            fix with -vehicle_local_position.z as relative altitude), ATTITUDE (ATT degrees; vehicle_attitude \
            quaternion to Euler), SYS_STATUS (BAT or CURR instance 0; battery_status instance 0).
            """
    )

    @OptionGroup var location: DatabaseLocation
    @Option(help: "Project of the archived source.") var project: String = "default"
    @Option(help: "Archived source: the link name (udp14550, radio, ...).") var source: String?
    @Option(help: "Start of the range (µs since the epoch or ISO 8601 with a zone).") var from: String?
    @Option(help: "End of the range (exclusive).") var to: String?
    @Option(help: "Replay the time of this flight (with 2 s before and after).") var flight: Int64?
    @Option(help: "Replay a .tlog (or a .bin/.ulg re-encoded as MAVLink 2) instead of the archive.") var file: String?

    @Option(help: "Send UDP datagrams to HOST:PORT.") var udp: String?
    @Flag(help: "With --udp: allow a broadcast address (e.g. 192.168.1.255:14550).") var broadcast = false
    @Option(
        help: ArgumentHelp(
            "With --udp: join consecutive records into datagrams of at most BYTES (never splitting one; the byte stream is unchanged). Default: one datagram per record.",
            valueName: "BYTES"))
    var coalesce: Int?
    @Option(help: "Connect to HOST:PORT and write the stream over TCP.") var tcp: String?
    @Option(help: "Write to this serial device.") var serial: String?
    @Option(help: "Serial speed with --serial.") var baud: Int = 57600
    @Option(help: "Serial framing with --serial (8N1, 7E1, ...).") var framing: String = "8N1"
    @Flag(help: "Write to a new pseudo-terminal; its path is printed on standard output.") var pty = false
    @Option(help: "With --pty: seconds to wait after printing the path, so a reader can open it.")
    var ptyDelay: Double = 1

    @Option(help: "Original timing divided by this (0.1 … 100).") var speed: Double = 1
    @Flag(name: .customLong("max-rate"), help: "Send as fast as the output takes.") var maxRate = false
    @Flag(name: .customLong("no-realtime"), help: "Pace at normal priority (do not ask for SCHED_FIFO).")
    var noRealtime = false
    @Option(help: "Skip this many seconds of the source from its start.") var startOffset: Double = 0
    @Flag(help: "Start again after the end, until interrupted.") var loop = false
    @Flag(help: "No status line.") var quiet = false

    @Option(
        name: .customLong("sysid"),
        help: "Rewrite every frame's system id to N (CRC recomputed; signed MAVLink 2 frames lose their signature).")
    var systemID: UInt8?
    @Option(
        help: ArgumentHelp(
            "keep, or now: shift Unix times (uint64 time_unix_usec/time_usec ≥ 1e15 µs) to the replay's clock.",
            valueName: "keep|now"))
    var timestamps: String = "keep"
    @Option(help: ArgumentHelp("Send only these messages (names, comma-separated).", valueName: "MSG,MSG"))
    var only: String?
    @Option(help: ArgumentHelp("Do not send these messages (names, comma-separated).", valueName: "MSG,MSG"))
    var exclude: String?

    func validate() throws {
        let outputs = [udp != nil, tcp != nil, serial != nil, pty].filter { $0 }.count
        guard outputs == 1 else { throw ValidationError("name exactly one output: --udp, --tcp, --serial or --pty") }
        if let coalesce {
            guard udp != nil else { throw ValidationError("--coalesce joins UDP datagrams; it needs --udp") }
            guard (1...65507).contains(coalesce) else { throw ValidationError("--coalesce must be 1 … 65507 bytes") }
        }
        guard maxRate || (0.1...100).contains(speed) else { throw ValidationError("--speed must be 0.1 … 100") }
        guard timestamps == "keep" || timestamps == "now" else {
            throw ValidationError("--timestamps is keep or now")
        }
        _ = try rewrite()
        if file != nil && (source != nil || flight != nil || from != nil || to != nil) {
            throw ValidationError("--file replays a file; --source/--from/--to/--flight select archived bytes")
        }
    }

    func run() async throws {
        let replaySource = try await resolveSource()
        var options = ReplayOptions(speed: maxRate ? nil : speed)
        options.startOffset = .milliseconds(Int64(startOffset * 1000))
        options.loop = loop
        options.rewrite = try rewrite()
        options.realtimePacing = !noRealtime
        let session = ReplaySession(source: replaySource, options: options)
        let progress = ReplayProgress()
        let control = ReplayControl()
        let keys = quiet ? nil : TerminalKeys.start(control: control, progress: progress)
        defer { keys?.cancel() }
        let started = Date()
        let status = quiet ? nil : Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                Self.printStatus(progress.snapshot, since: started, final: false, looping: loop)
            }
        }
        defer { status?.cancel() }
        do {
            if let udp {
                let (host, port) = try Self.hostPort(udp, option: "--udp")
                var output = try UDPFrameSender(host: host, port: port, broadcast: broadcast)
                output.coalesceBytes = coalesce ?? 0
                try await session.run(into: &output, progress: progress, control: control)
            } else if let tcp {
                let (host, port) = try Self.hostPort(tcp, option: "--tcp")
                var output = try TCPFrameWriter(host: host, port: port)
                try await session.run(into: &output, progress: progress, control: control)
            } else if let serial {
                var output = try SerialFrameWriter(
                    settings: try SerialPortSettings(device: serial, baudRate: baud, framing: framing))
                try await session.run(into: &output, progress: progress, control: control)
            } else {
                var output = try PTYFrameWriter(dropsWhenFull: false)
                writeAll(1, Array("\(output.path)\n".utf8))
                try await Task.sleep(for: .milliseconds(Int64(ptyDelay * 1000)))
                try await session.run(into: &output, progress: progress, control: control)
            }
        } catch let error as SimulationError {
            throw ValidationError(error.description)
        } catch let error as ReplayError {
            throw ValidationError(error.description)
        }
        status?.cancel()
        Self.printStatus(progress.snapshot, since: started, final: true, looping: loop)
        if !quiet, case .normal(let reason) = progress.pacing {
            FileHandle.standardError.write(Data(
                "replay: paced on an ordinary thread (\(reason)); on a busy machine frames can leave milliseconds late\n".utf8))
        }
    }

    /// The frame rewriting and filtering the options ask for.
    func rewrite() throws -> ReplayRewrite {
        func names(_ list: String?) -> [String]? { list.map { $0.split(separator: ",").map(String.init) } }
        let result = Result { () throws(ReplayError) -> ReplayRewrite in
            try ReplayRewrite(
                systemID: systemID, timestampsNow: timestamps == "now", only: names(only), exclude: names(exclude) ?? [])
        }
        switch result {
        case .success(let rewrite): return rewrite
        case .failure(let error): throw ValidationError(error.message)
        }
    }

    /// The archive range or file to replay.
    func resolveSource() async throws -> ReplaySource {
        if let file {
            guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("no file \(file)") }
            let lower = file.lowercased()
            return lower.hasSuffix(".bin") || lower.hasSuffix(".ulg") || lower.hasSuffix(".log")
                ? .flightLog(path: file) : .tlog(path: file)
        }
        guard FileManager.default.fileExists(atPath: location.path) else {
            throw ValidationError("no store at \(location.path) (--db or --data-dir)")
        }
        let pool = try StoreDatabase.open(path: location.path)
        let reader = RawArchiveReader(database: pool)
        var lower = try from.map { try Self.time($0, option: "--from") } ?? Int64.min
        var upper = try to.map { try Self.time($0, option: "--to") } ?? Int64.max
        if let flight {
            guard let record = try await FlightCatalog(database: pool).flight(id: flight, project: project) else {
                throw ValidationError("no flight \(flight) in project \(project)")
            }
            lower = record.start - 2_000_000
            upper = (record.end ?? Int64.max - 2_000_000) + 2_000_000
        }
        guard lower < upper else { throw ValidationError("--from must be before --to") }
        let sources = try await reader.sources(project: project)
        let name: String
        if let source {
            name = source
        } else if sources.count == 1 {
            name = sources[0].source
        } else {
            throw ValidationError(
                "name the archived source with --source; project \(project) has: \(sources.map(\.source).joined(separator: ", "))")
        }
        guard sources.contains(where: { $0.source == name }) else {
            throw ValidationError("project \(project) has no archived source \(name)")
        }
        return .archive(reader, project: project, source: name, from: lower, to: upper)
    }

    static func time(_ text: String, option: String) throws -> Int64 {
        guard let t = StoreTime.parse(text) else {
            throw ValidationError("\(option) \(text): expected µs since the epoch or ISO 8601 with a zone")
        }
        return t
    }

    static func hostPort(_ text: String, option: String) throws -> (String, Int) {
        guard let address = SocketAddressSpec(text), (1...65535).contains(address.port) else {
            throw ValidationError("\(option): expected host:port or [v6]:port, got \(text)")
        }
        return (address.host, address.port)
    }

    /// Keys on an interactive terminal: space pauses and resumes, ← / → seek 10 s, q stops.
    enum TerminalKeys {
        static func start(control: ReplayControl, progress: ReplayProgress) -> Task<Void, Never>? {
            guard isatty(0) == 1 else { return nil }
            var saved = termios()
            guard tcgetattr(0, &saved) == 0 else { return nil }
            var raw = saved
            raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
            _ = tcsetattr(0, TCSANOW, &raw)
            FileHandle.standardError.write(Data("replay: space pauses/resumes, ←/→ seek 10 s, q stops\n".utf8))
            let restore = saved
            return Task.detached {
                defer {
                    var settings = restore
                    _ = tcsetattr(0, TCSANOW, &settings)
                }
                var escape: [UInt8] = []
                while !Task.isCancelled {
                    var poller = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
                    guard poll(&poller, 1, 100) > 0 else { continue }
                    var byte: UInt8 = 0
                    guard read(0, &byte, 1) == 1 else { return }
                    escape.append(byte)
                    if escape.count > 3 { escape.removeFirst(escape.count - 3) }
                    let position = progress.snapshot.position ?? Int64.min
                    switch (byte, escape) {
                    case (UInt8(ascii: " "), _): control.togglePause()
                    case (UInt8(ascii: "q"), _): control.stop()
                    case (UInt8(ascii: "C"), [27, 91, 67]): control.seek(to: position &+ 10_000_000)
                    case (UInt8(ascii: "D"), [27, 91, 68]): control.seek(to: position &- 10_000_000)
                    default: break
                    }
                }
            }
        }
    }

    static func printStatus(_ s: ReplayProgress.Snapshot, since started: Date, final: Bool, looping: Bool) {
        let wall = Date().timeIntervalSince(started)
        let position = s.position.flatMap { p in s.start.map { Double(p - $0) / 1e6 } } ?? 0
        let rate = wall > 0 ? Double(s.records) / wall : 0
        let line = String(
            format: "replay: %.1f s of source in %.1f s, %d records (%d bytes), %.0f rec/s, lag %.2f ms (p99 %.2f ms)%@",
            position, wall, s.records, s.bytes, rate, Double(s.lagMicros) / 1000, Double(s.lagP99Micros) / 1000,
            looping && s.loops > 0 ? " loop \(s.loops)" as NSString : "" as NSString)
        FileHandle.standardError.write(Data(((final ? "\r" : "\r") + line + (final ? "\n" : "")).utf8))
    }
}
