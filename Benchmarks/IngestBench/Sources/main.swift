// IngestBench: the daemon's decode pipeline in one process, without sockets — how many MAVLink messages per
// second the pipeline (framer → batcher → mapper → store heads → checkpoints, plus the raw archive) takes on
// one core. The over-the-wire figure (UDP from simulated drones into `furrow serve`) is
// Benchmarks/harness/ingest.py; this one says how much of it the pipeline itself costs.
//
//     swift run -c release --package-path Benchmarks IngestBench [--drones N] [--profile NAME] [--no-archive]
import Foundation
import FurrowIngest
import FurrowLogs
import FurrowStore
import FurrowWire
import Logging

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else {
        return fallback
    }
    return v
}
let drones = option("--drones", 100)
let archives = !arguments.contains("--no-archive")
let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

// Frames of a real ArduPilot flight, re-addressed to `drones` system ids (CRC kept valid).
let tlog = try Data(contentsOf: repo.appendingPathComponent("SampleData/ardupilot-vtol.tlog"))
var frames: [[UInt8]] = []
var reader = TlogReader()
[UInt8](tlog).withUnsafeBytes { buffer in
    reader.feed(buffer) { record in frames.append(record.frame.bytes) }
}
let dialect = MAVLinkDialect.ardupilotmega
func readdressed(_ frame: [UInt8], systemID: UInt8) -> [UInt8] {
    var f = frame
    let v2 = f[0] == 0xFD
    f[v2 ? 5 : 3] = systemID
    let header = v2 ? 10 : 6
    let length = Int(f[1])
    let id = v2 ? UInt32(f[7]) | UInt32(f[8]) << 8 | UInt32(f[9]) << 16 : UInt32(f[5])
    guard let info = dialect.message(id: id) else { return f }
    var crc = CRC16MCRF4XX()
    f.withUnsafeBytes { crc.update(UnsafeRawBufferPointer(rebasing: $0[1..<(header + length)])) }
    crc.update(byte: info.crcExtra)
    f[header + length] = UInt8(crc.value & 0xFF)
    f[header + length + 1] = UInt8(crc.value >> 8)
    return f
}
print("frames in the sample: \(frames.count); drones: \(drones); archive: \(archives)")

// Bursts of 64 datagrams (one frame each), as recvmmsg hands them over, drones interleaved.
var bursts: [ReceiveBurst] = []
var clock: Int64 = 1_800_000_000_000_000
var burst = ReceiveBurst(link: "udp")
var messageCount = 0
let target = 2_000_000
outer: for frame in frames {
    for drone in 0..<drones {
        burst.append(readdressed(frame, systemID: UInt8(1 + drone % 250)), peer: "127.0.0.1:\(20000 + drone)", receivedAt: clock)
        clock += 5
        messageCount += 1
        if burst.pieces.count == 64 {
            bursts.append(burst)
            burst = ReceiveBurst(link: "udp")
        }
        if messageCount >= target { break outer }
    }
}
let bytes = bursts.reduce(0) { $0 + $1.bytes.count }
print("input: \(messageCount) messages, \(bytes) bytes in \(bursts.count) bursts")

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ingestbench-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let pool = try StoreDatabase.open(path: directory.appendingPathComponent("bench.sqlite").path)
// As the daemon: checkpoints do not fold, compaction merges small chunks afterwards.
let store = try TimeSeriesStore(pool: pool, options: .init(chunkRows: 4096, foldLimit: 0))
let archive = archives ? RawArchive(database: pool) : nil
let settings = IngestPipeline.Settings()
let profileName = arguments.firstIndex(of: "--profile").map { arguments[$0 + 1] } ?? "generic-mavlink"
var quietLogger = Logger(label: "bench")
quietLogger.logLevel = .warning
let mapper = try MAVLinkMapper(
    profile: DeviceProfile(contentsOf: repo.appendingPathComponent("Hardware/profiles/\(profileName).toml").path))
print("profile: \(profileName)")
let pipeline = IngestPipeline(
    links: [LinkBinding(name: "udp", project: "bench", isDatagram: true)], store: store, archive: archive,
    flights: FlightCatalog(database: pool), settings: settings, logger: quietLogger
) { link, sender, _ in
    SourceBinding(name: "\(link)-\(sender.systemID)-\(sender.componentID)", project: "bench", mapper: mapper)
}

func cpuSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
let started = Date()
let cpuStarted = cpuSeconds()
var processed = 0
var checkpoints = 0
// Checkpoint on the daemon's row trigger (1 M rows) and once at the end.
for (i, b) in bursts.enumerated() {
    await pipeline.process([b])
    processed += b.pieces.count
    if pipeline.rowsSinceCheckpoint >= 1_000_000 || i == bursts.count - 1 {
        try await pipeline.checkpoint()
        checkpoints += 1
    }
}
try await archive?.flush()
let wall = Date().timeIntervalSince(started)
let cpu = cpuSeconds() - cpuStarted
print(String(format: "pipeline: %d messages in %.2f s wall, %.2f s CPU: %.0f messages/s wall, %.0f per CPU-second; %d checkpoints",
             processed, wall, cpu, Double(processed) / wall, Double(processed) / cpu, checkpoints))
let size = (try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("bench.sqlite").path)[.size] as? Int) ?? 0
print("database: \(size) bytes (\(String(format: "%.1f", Double(size) / Double(processed))) bytes/message, archive included: \(archives))")
