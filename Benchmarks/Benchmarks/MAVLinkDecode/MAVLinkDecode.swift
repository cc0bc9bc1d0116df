// Throughput benchmarks for Furrow's MAVLink decoder (package-benchmark).
//
// Every decoder benchmark is one whole pass over an in-memory stream per sample, fed in 1 MiB chunks as
// `furrow decode` feeds a file (ChunkedFileReader), with a fresh reader each pass. Besides package-benchmark's
// own metrics (its "Throughput" is passes per second) each sample records two custom metrics measured
// around the same pass: `bytes/s` (input bytes, .tlog timestamps included) and `frames/s`.
//
// Input: the first 16 MiB of bench-data/flight-s1-100mb/flight.tlog and flight.raw (made by
// Benchmarks/harness; FURROW_BENCH_MB changes the size) if present, else SampleData/ardupilot-vtol.tlog
// repeated to ~8 MB, with the raw stream built by concatenating its frames. The repository root is
// $FURROW_ROOT, else the first directory holding SampleData/ above the current directory, else above
// this source file.

import Benchmark
import Foundation
import FurrowLogs
import FurrowWire

// MARK: - Input

/// Where a payload sits in `Input.payloads`, for the decode benchmark.
struct PayloadSpan: Sendable {
    let messageIndex: Int32
    let offset: Int32
    let length: Int32
}

struct Input: Sendable {
    /// What was loaded, printed once to standard error.
    let summary: String
    let tlog: [UInt8]
    let raw: [UInt8]
    /// Frames a full pass must deliver (checked on every pass: a wrong count stops the run).
    let tlogFrames: Int
    let rawFrames: Int
    /// Payloads of the known-id frames of `tlog`, back to back, and where each one is.
    let payloads: [UInt8]
    let spans: [PayloadSpan]
    /// 64 KiB for the CRC benchmark.
    let crcBuffer: [UInt8]

    static let chunkSize = 1 << 20

    static func load() -> Input {
        let root = repositoryRoot()
        let megabytes = ProcessInfo.processInfo.environment["FURROW_BENCH_MB"].flatMap(Int.init) ?? 16
        let limit = megabytes << 20
        let flight = root.appendingPathComponent("bench-data/flight-s1-100mb")
        let tlogURL = flight.appendingPathComponent("flight.tlog")
        let rawURL = flight.appendingPathComponent("flight.raw")
        var tlog: [UInt8]
        var raw: [UInt8]
        var summary: String
        if FileManager.default.fileExists(atPath: tlogURL.path), FileManager.default.fileExists(atPath: rawURL.path) {
            tlog = readPrefix(tlogURL, limit)
            raw = readPrefix(rawURL, limit)
            summary = "first \(tlog.count) B of \(tlogURL.path), first \(raw.count) B of \(rawURL.path)"
        } else {
            let sampleURL = root.appendingPathComponent("SampleData/ardupilot-vtol.tlog")
            let sample = readPrefix(sampleURL, .max)
            precondition(!sample.isEmpty, "cannot read \(sampleURL.path)")
            tlog = []
            while tlog.count < 8_000_000 { tlog += sample }
            raw = []
            raw.reserveCapacity(tlog.count)
            var reader = TlogReader()
            tlog.withUnsafeBytes { buffer in
                reader.feed(buffer) { raw += $0.frame.bytes }
                reader.finish { raw += $0.frame.bytes }
            }
            summary = "\(sampleURL.path) x\(tlog.count / sample.count) = \(tlog.count) B; raw = its frames, \(raw.count) B"
        }

        // One reference pass each: frame counts to check every measured pass against, and the payload table.
        var tlogFrames = 0
        var payloads: [UInt8] = []
        var spans: [PayloadSpan] = []
        var reader = TlogReader()
        let onRecord: (TlogRecord) -> Void = { record in
            tlogFrames += 1
            guard let index = record.frame.messageIndex else { return }
            spans.append(PayloadSpan(
                messageIndex: Int32(index), offset: Int32(payloads.count), length: Int32(record.frame.payloadLength)))
            record.frame.withUnsafePayload { payloads.append(contentsOf: $0) }
        }
        forEachChunk(tlog) { reader.feed($0, onRecord) }
        reader.finish(onRecord)
        var framer = MAVLinkFramer()
        var rawFrames = 0
        forEachChunk(raw) { framer.feed($0) { _ in rawFrames += 1 } }
        framer.finish { _ in rawFrames += 1 }
        let s = reader.framer.statistics
        summary += "\ntlog: \(tlogFrames) frames, \(s.crcFailures) CRC failures, \(s.bytesSkipped) B skipped, "
            + "\(spans.count) known-id payloads (\(payloads.count) B)"
        let r = framer.statistics
        summary += "\nraw:  \(rawFrames) frames, \(r.crcFailures) CRC failures, \(r.bytesSkipped) B skipped"

        // 64 KiB of the tlog (real MAVLink bytes) for the CRC.
        let crcBuffer = Array(tlog.prefix(65_536))
        return Input(
            summary: summary, tlog: tlog, raw: raw, tlogFrames: tlogFrames, rawFrames: rawFrames,
            payloads: payloads, spans: spans, crcBuffer: crcBuffer)
    }

    /// $FURROW_ROOT, else the nearest directory with SampleData/ above the working directory or this file.
    static func repositoryRoot() -> URL {
        if let root = ProcessInfo.processInfo.environment["FURROW_ROOT"], !root.isEmpty {
            return URL(fileURLWithPath: root)
        }
        let starts = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent(),
        ]
        for start in starts {
            var dir = start.standardizedFileURL
            while true {
                var isDirectory: ObjCBool = false
                let probe = dir.appendingPathComponent("SampleData").path
                if FileManager.default.fileExists(atPath: probe, isDirectory: &isDirectory), isDirectory.boolValue {
                    return dir
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        fatalError("cannot find the Furrow repository (a directory with SampleData/); set FURROW_ROOT")
    }

    static func readPrefix(_ url: URL, _ limit: Int) -> [UInt8] {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
        defer { try? handle.close() }
        let data = (limit == .max ? try? handle.readToEnd() : try? handle.read(upToCount: limit)) ?? Data()
        return [UInt8](data)
    }
}

/// Calls `body` with consecutive 1 MiB chunks of `bytes`.
@inline(__always)
func forEachChunk(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) -> Void) {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let end = Swift.min(offset + Input.chunkSize, buffer.count)
            body(UnsafeRawBufferPointer(rebasing: buffer[offset..<end]))
            offset = end
        }
    }
}

// MARK: - Metrics

let bytesPerSecond = BenchmarkMetric.custom("bytes/s", polarity: .prefersLarger, useScalingFactor: false)
let framesPerSecond = BenchmarkMetric.custom("frames/s", polarity: .prefersLarger, useScalingFactor: false)

/// Runs one pass (`body` returns the frames it saw; 0 for none) and records its bytes/s and frames/s.
@inline(__always)
func timed(_ benchmark: Benchmark, bytes: Int, _ body: () -> Int) {
    let start = ContinuousClock.now
    let frames = body()
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    guard seconds > 0 else { return }
    benchmark.measurement(bytesPerSecond, Int(Double(bytes) / seconds))
    if frames > 0 { benchmark.measurement(framesPerSecond, Int(Double(frames) / seconds)) }
}

/// `furrow decode --format none` (OutputSink in Sources/furrow/DecodeCommand.swift, no type filter): every
/// frame into per-(sender, message) batches of 4096 rows; each full batch, and each batch at the end, is
/// transposed into typed columns.
struct BatchSink {
    var batcher = MAVLinkBatcher(dialect: .ardupilotmega, rowsPerBatch: 4096)
    var frames = 0
    var rows = 0

    @inline(__always)
    mutating func take(_ record: TlogRecord) {
        frames &+= 1
        batcher.append(record.frame, timestamp: Int64(bitPattern: record.rawTimestamp & ~3)) { batch in
            rows &+= Self.consume(batch)
        }
    }

    mutating func finish() {
        batcher.flush { rows &+= Self.consume($0) }
    }

    /// Transposes a batch into typed columns, as the store will; returns its rows.
    static func consume(_ batch: MAVLinkBatch) -> Int {
        var touched = 0
        for column in batch.columns {
            switch column.values {
            case .text(let v): touched &+= v.count
            default: touched &+= 1
            }
        }
        blackHole(touched)
        return batch.count
    }
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    let input = Input.load()
    FileHandle.standardError.write(Data("MAVLinkDecode input: \(input.summary)\n".utf8))

    Benchmark.defaultConfiguration = .init(
        metrics: [
            .throughput, .wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident,
            bytesPerSecond, framesPerSecond,
        ],
        units: [bytesPerSecond: .mega, framesPerSecond: .kilo],
        warmupIterations: 2,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    Benchmark("framer+CRC tlog") { benchmark in
        timed(benchmark, bytes: input.tlog.count) {
            var frames = 0
            var reader = TlogReader()
            forEachChunk(input.tlog) { reader.feed($0) { _ in frames &+= 1 } }
            reader.finish { _ in frames &+= 1 }
            precondition(frames == input.tlogFrames)
            return frames
        }
    }

    Benchmark("framer+CRC raw") { benchmark in
        timed(benchmark, bytes: input.raw.count) {
            var frames = 0
            var framer = MAVLinkFramer()
            forEachChunk(input.raw) { framer.feed($0) { _ in frames &+= 1 } }
            framer.finish { _ in frames &+= 1 }
            precondition(frames == input.rawFrames)
            return frames
        }
    }

    // The whole `furrow decode --format none --input tlog` path: frames into per-(sender, message) batches of
    // 4096 rows, each full batch transposed into typed columns, then the final flush.
    Benchmark("framer+batcher") { benchmark in
        timed(benchmark, bytes: input.tlog.count) {
            var reader = TlogReader()
            var sink = BatchSink()
            forEachChunk(input.tlog) { reader.feed($0) { sink.take($0) } }
            reader.finish { sink.take($0) }
            sink.finish()
            precondition(sink.frames == input.tlogFrames && sink.rows == input.spans.count)
            return sink.frames
        }
    }

    // The slicing-by-16 CRC the framer runs on every candidate frame, over 64 KiB of MAVLink bytes.
    Benchmark("CRC-16/MCRF4XX") { benchmark in
        timed(benchmark, bytes: input.crcBuffer.count) {
            var crc = CRC16MCRF4XX()
            input.crcBuffer.withUnsafeBytes { crc.update($0) }
            blackHole(crc.value)
            return 0
        }
    }

    // For comparison: the byte-at-a-time step the official C parser runs (checksum.h), same 64 KiB.
    Benchmark("CRC-16/MCRF4XX bytewise") { benchmark in
        timed(benchmark, bytes: input.crcBuffer.count) {
            var crc = CRC16MCRF4XX()
            for byte in input.crcBuffer { crc.update(byte: byte) }
            blackHole(crc.value)
            return 0
        }
    }

    // Payload -> MAVLinkMessage (typed values per field) for every known-id frame of the tlog input, without
    // the framing: this is what `MAVLinkMessage(frame:dialect:)` does for each frame in JSON/CSV output.
    // bytes/s counts payload bytes here.
    Benchmark("decode to MAVLinkMessage") { benchmark in
        let messages = MAVLinkDialect.ardupilotmega.messages
        timed(benchmark, bytes: input.payloads.count) {
            var fields = 0
            input.payloads.withUnsafeBytes { buffer in
                for span in input.spans {
                    let start = Int(span.offset)
                    let payload = UnsafeRawBufferPointer(rebasing: buffer[start..<(start + Int(span.length))])
                    let message = MAVLinkMessage(info: messages[Int(span.messageIndex)], payload: payload)
                    fields &+= message.values.count
                }
            }
            blackHole(fields)
            return input.spans.count
        }
    }
}
