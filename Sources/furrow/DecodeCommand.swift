import ArgumentParser
import FurrowLogs
import FurrowWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `furrow decode`: look inside a telemetry log or capture, the way `mavlogdump.py` does, but fast.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode MAVLink telemetry (.tlog, raw capture) or a flight log (ArduPilot .bin, PX4 .ulg).",
        discussion: """
            JSON lines match pymavlink's `mavlogdump.py --format json` (same names, fields and values).
            --format none decodes every frame into the columnar batches the store ingests and prints \
            nothing: use it with --stats to measure throughput. --format frames only frames and checks \
            (CRC, signatures, sequence counters) without decoding fields: the work the C parser's \
            mavlink_parse_char does.
            ArduPilot DataFlash .bin and PX4 .ulg logs are recognised by extension or by their first bytes: \
            .bin prints mavlogdump-style lines ({"meta": {"type", "timestamp"}, "data": {...}}), .ulg prints \
            one line per message with a "kind" (data lines: topic, multi_id, timestamp, data as pyulog \
            flattens it). --format none parses them into columnar batches; --format frames only parses.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case jsonl, csv, none, frames
    }

    enum InputKind: String, ExpressibleByArgument, CaseIterable {
        case auto, tlog, raw, bin, ulg
    }

    @Argument(help: "A .tlog file, a raw MAVLink capture, a .bin or .ulg flight log, or - for standard input.")
    var file: String

    @Option(help: "Output: jsonl (mavlogdump-compatible JSON lines), csv (needs --types), none, frames.")
    var format: OutputFormat = .jsonl

    @Option(help: "Only these message types, comma-separated; * and ? wildcards (e.g. ATTITUDE,GPS_*).")
    var types: String?

    @Option(help: "Input kind: auto (by extension, then by content), tlog, raw (no timestamps), bin (DataFlash) or ulg.")
    var input: InputKind = .auto

    @Flag(help: "Print the decoder's counters to standard error at the end.")
    var stats = false

    @Flag(name: .customLong("stats-json"), help: "Print the counters as one JSON object on standard error.")
    var statsJSON = false

    @Option(name: .customLong("signing-key"), help: "Verify MAVLink 2 signatures with this 32-byte key (64 hex digits).")
    var signingKey: String?

    @Flag(help: "With --signing-key, also accept unsigned frames.")
    var allowUnsigned = false

    @Flag(help: "Add srcSystem and srcComponent to each line's meta.")
    var showSource = false

    @Flag(name: .customLong("show-seq"), help: "Add the sequence number to each line's meta.")
    var showSequence = false

    mutating func validate() throws {
        if format == .csv && types == nil && input != .bin && input != .ulg {
            throw ValidationError("--format csv needs --types: the columns are the fields of the listed types.")
        }
    }

    func run() throws {
        if let kind = FlightLogSession.detect(FlightLogSession.prefix(of: file), declared: input, path: file) {
            guard format != .csv else {
                throw ValidationError("--format csv is for MAVLink input; use jsonl for .bin and .ulg logs.")
            }
            let fields = try FlightLogSession.run(kind: kind, path: file, format: format, filter: types.map { TypeFilter($0) })
            if stats {
                printError(fields.map { $0.0.padding(to: 20) + $0.1.replacingAll("\"", with: "") }.joined(separator: "\n"))
            }
            if statsJSON { printError("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}") }
            return
        }
        let signing = try signingKey.map { key throws(MAVLinkSigningError) in
            try MAVLinkSigningPolicy(hexKey: key, allowUnsigned: allowUnsigned)
        }
        let filter = types.map { TypeFilter($0) }
        var sink = OutputSink(
            format: format, filter: filter,
            json: JSONLineWriter(showSource: showSource, showSequence: showSequence))
        if format == .csv, let filter {
            sink.writeCSVHeader(dialect: .ardupilotmega, filter: filter)
        }
        let framer = MAVLinkFramer(dialect: .ardupilotmega, signing: signing)
        var session = DecodeSession(framer: framer, declared: input, path: file)
        let started = ContinuousClock.now
        try ChunkedFileReader(path: file).forEachChunk { chunk in
            session.feed(chunk, into: &sink)
        }
        session.finish(into: &sink)
        sink.finish()
        let elapsed = ContinuousClock.now - started
        let report = DecodeReport(session: session, elapsed: elapsed)
        if stats { printError(report.text) }
        if statsJSON { printError(report.json) }
    }
}

/// Writes every byte to a file descriptor (1 = standard output, 2 = standard error), retrying short writes.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}

func printError(_ text: String) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    writeAll(2, Array(line.utf8))
}

// MARK: - Session

/// Decides tlog or raw from the first bytes and drives the matching reader.
struct DecodeSession {
    private(set) var tlog: TlogReader?
    private(set) var raw: MAVLinkFramer?
    private var framer: MAVLinkFramer?
    private let declared: DecodeCommand.InputKind
    private let path: String

    init(framer: MAVLinkFramer, declared: DecodeCommand.InputKind, path: String) {
        self.framer = framer
        self.declared = declared
        self.path = path
    }

    var kind: DecodeCommand.InputKind {
        if tlog != nil { return .tlog }
        if raw != nil { return .raw }
        // Nothing was read: go by what the caller said or the file name.
        return declared == .tlog || (declared == .auto && path.lowercased().hasSuffix(".tlog")) ? .tlog : .raw
    }

    var statistics: MAVLinkStatistics { tlog?.framer.statistics ?? raw?.statistics ?? framer!.statistics }

    mutating func feed(_ chunk: UnsafeRawBufferPointer, into sink: inout OutputSink) {
        if let framer {
            if Self.looksLikeTlog(chunk, declared: declared, path: path) {
                tlog = TlogReader(framer: framer)
            } else {
                raw = framer
            }
            self.framer = nil
        }
        if tlog != nil {
            tlog!.feed(chunk) { record in sink.take(record.frame, rawTimestamp: record.rawTimestamp) }
        } else {
            raw!.feed(chunk) { frame in sink.take(frame, rawTimestamp: nil) }
        }
    }

    mutating func finish(into sink: inout OutputSink) {
        if tlog != nil {
            tlog!.finish { record in sink.take(record.frame, rawTimestamp: record.rawTimestamp) }
        } else if raw != nil {
            raw!.finish { frame in sink.take(frame, rawTimestamp: nil) }
        }
    }

    /// A .tlog by declaration, by extension, or because it starts with a plausible timestamp and a frame.
    static func looksLikeTlog(_ chunk: UnsafeRawBufferPointer, declared: DecodeCommand.InputKind, path: String) -> Bool {
        switch declared {
        case .tlog: return true
        case .raw, .bin, .ulg: return false  // .bin and .ulg never get here: FlightLogSession reads them.
        case .auto:
            return path.lowercased().hasSuffix(".tlog") || TlogReader.looksLikeTlog(chunk)
        }
    }
}

// MARK: - Output

/// Matches message names against mavlogdump-style patterns (`GPS_*`, `ATTITUDE`).
struct TypeFilter {
    let patterns: [String]

    init(_ list: String) {
        patterns = list.split(separator: ",").map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
    }

    func matches(_ name: String) -> Bool {
        patterns.contains { Self.glob(Array($0.utf8), Array(name.utf8)) }
    }

    static func glob(_ p: [UInt8], _ s: [UInt8]) -> Bool {
        var pi = 0, si = 0, star = -1, mark = 0
        while si < s.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == s[si]) {
                pi += 1
                si += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = si
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                si = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

/// Where decoded frames go: JSON lines, CSV rows, or columnar batches that are dropped (`none`).
struct OutputSink {
    let format: DecodeCommand.OutputFormat
    let filter: TypeFilter?
    let json: JSONLineWriter
    let dialect = MAVLinkDialect.ardupilotmega
    var buffer: [UInt8] = []
    var batcher = MAVLinkBatcher(dialect: .ardupilotmega, rowsPerBatch: 4096)
    var batchedRows = 0
    var framesSeen = 0
    var csvColumns: [(message: String, field: String)] = []
    /// Per message index: whether the filter accepts it (decided once per type).
    var accepted: [Int: Bool] = [:]

    init(format: DecodeCommand.OutputFormat, filter: TypeFilter?, json: JSONLineWriter) {
        self.format = format
        self.filter = filter
        self.json = json
        buffer.reserveCapacity(1 << 17)
    }

    mutating func writeCSVHeader(dialect: MAVLinkDialect, filter: TypeFilter) {
        for message in dialect.messages where filter.matches(message.name) {
            for index in message.declarationOrder { csvColumns.append((message.name, message.fields[index].name)) }
        }
        buffer.append(contentsOf: (["timestamp"] + csvColumns.map { "\($0.message).\($0.field)" }).joined(separator: ",").utf8)
        buffer.append(UInt8(ascii: "\n"))
    }

    mutating func take(_ frame: MAVLinkFrame, rawTimestamp: UInt64?) {
        if let filter {
            let ok: Bool
            if let index = frame.messageIndex {
                if let known = accepted[index] {
                    ok = known
                } else {
                    ok = filter.matches(dialect.messages[index].name)
                    accepted[index] = ok
                }
            } else {
                ok = filter.matches("UNKNOWN_\(frame.messageID)")
            }
            guard ok else { return }
        }
        switch format {
        case .frames:
            framesSeen &+= 1
            return
        case .none:
            batcher.append(frame, timestamp: Int64(bitPattern: (rawTimestamp ?? 0) & ~3)) { batch in
                batchedRows += Self.consume(batch)
            }
            return
        case .jsonl:
            let seconds = rawTimestamp.map { Double($0) * 1.0e-6 } ?? 0.0
            if let message = MAVLinkMessage(frame: frame, dialect: dialect) {
                json.write(
                    message, timestamp: seconds,
                    source: MAVLinkSourceID(systemID: frame.systemID, componentID: frame.componentID),
                    sequence: frame.sequence, to: &buffer)
            } else {
                json.writeUnknown(frame, timestamp: seconds, to: &buffer)
            }
        case .csv:
            guard let message = MAVLinkMessage(frame: frame, dialect: dialect) else { return }
            let seconds = rawTimestamp.map { Double($0) * 1.0e-6 } ?? 0.0
            writeCSVRow(message, name: message.info.name, seconds: seconds)
        }
        if buffer.count >= 1 << 16 { flushBuffer() }
    }

    /// Transposes a batch into typed columns as the store will, and reports its rows.
    static func consume(_ batch: MAVLinkBatch) -> Int {
        var touched = 0
        for column in batch.columns {
            switch column.values {
            case .text(let v): touched &+= v.count
            default: touched &+= 1
            }
        }
        return batch.count + (touched & 0)
    }

    mutating func writeCSVRow(_ message: MAVLinkMessage, name: String, seconds: Double) {
        var cells = [String](repeating: "", count: csvColumns.count + 1)
        cells[0] = String(format8: seconds)
        for (i, column) in csvColumns.enumerated() where column.message == name {
            guard let value = message[column.field] else { continue }
            var bytes: [UInt8] = []
            JSONLineWriter.appendCSVValue(value, to: &bytes)
            cells[i + 1] = String(decoding: bytes, as: UTF8.self)
        }
        buffer.append(contentsOf: cells.map(Self.csvQuoted).joined(separator: ",").utf8)
        buffer.append(UInt8(ascii: "\n"))
    }

    static func csvQuoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingAll("\"", with: "\"\"") + "\""
    }

    mutating func finish() {
        if format == .none {
            batcher.flush { batch in batchedRows += Self.consume(batch) }
        }
        flushBuffer()
    }

    mutating func flushBuffer() {
        guard !buffer.isEmpty else { return }
        writeAll(1, buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

extension String {
    /// `"{:.8f}".format(x)`, as mavlogdump writes CSV timestamps.
    fileprivate init(format8 value: Double) {
        let scaled = (value * 1e8).rounded()
        let negative = scaled < 0
        let magnitude = UInt64(Swift.abs(scaled))
        let integer = magnitude / 100_000_000
        let fraction = String(magnitude % 100_000_000)
        self = (negative ? "-" : "") + "\(integer)." + String(repeating: "0", count: 8 - fraction.count) + fraction
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}

extension JSONLineWriter {
    /// A CSV cell as mavlogdump writes it (`str(value)`: Python repr for floats, lists in brackets).
    static func appendCSVValue(_ value: MAVLinkValue, to out: inout [UInt8]) {
        if case .text = value {
            out.append(contentsOf: (value.text ?? "").utf8)
        } else {
            appendValue(value, to: &out)
        }
    }
}

// MARK: - Report

/// The counters printed by `--stats` and `--stats-json`.
struct DecodeReport {
    let session: DecodeSession
    let elapsed: Duration

    var seconds: Double {
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    var fields: [(String, String)] {
        let s = session.statistics
        var out: [(String, String)] = [
            ("input", "\"\(session.kind.rawValue)\""),
            ("bytes", "\(s.bytes)"),
            ("frames", "\(s.frames)"),
            ("framesV1", "\(s.framesV1)"),
            ("framesV2", "\(s.framesV2)"),
            ("truncatedPayloads", "\(s.truncatedPayloads)"),
            ("signedFrames", "\(s.signedFrames)"),
            ("signaturesVerified", "\(s.signaturesVerified)"),
            ("badSignatures", "\(s.badSignatures)"),
            ("replayedSignatures", "\(s.replayedSignatures)"),
            ("unsignedRejected", "\(s.unsignedRejected)"),
            ("crcFailures", "\(s.crcFailures)"),
            ("unknownIds", "\(s.unknownIDs)"),
            ("incompatRejected", "\(s.incompatRejected)"),
            ("bytesSkipped", "\(s.bytesSkipped)"),
            ("sequenceGaps", "\(s.sequenceGaps)"),
            ("framesLost", "\(s.framesLost)"),
        ]
        if let tlog = session.tlog {
            out.append(("tlogRecords", "\(tlog.statistics.records)"))
            out.append(("tlogResyncs", "\(tlog.statistics.resyncs)"))
            out.append(("tlogTimestampOrder", "\"\(tlog.statistics.timestampOrder?.rawValue ?? "unknown")\""))
        }
        out.append(("seconds", JSONLineWriter.pythonRepr(seconds)))
        out.append(("megabytesPerSecond", JSONLineWriter.pythonRepr(seconds > 0 ? Double(s.bytes) / seconds / 1e6 : 0)))
        return out
    }

    var json: String {
        let s = session.statistics
        let sources = s.sources.keys.sorted().map { id in
            let v = s.sources[id]!
            return "{\"sysid\": \(id.systemID), \"compid\": \(id.componentID), \"frames\": \(v.frames), "
                + "\"sequenceGaps\": \(v.sequenceGaps), \"framesLost\": \(v.framesLost)}"
        }
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ")
            + ", \"sources\": [" + sources.joined(separator: ", ") + "]}"
    }

    var text: String {
        let s = session.statistics
        var lines = fields.map { name, value in
            name.padding(to: 20) + value.replacingAll("\"", with: "")
        }
        lines.append("per source (sysid/compid): frames, sequence gaps, frames lost")
        for id in s.sources.keys.sorted() {
            let v = s.sources[id]!
            lines.append("  \(id.description.padding(to: 8)) \(v.frames), \(v.sequenceGaps), \(v.framesLost)")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
