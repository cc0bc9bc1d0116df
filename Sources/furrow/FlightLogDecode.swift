import FurrowLogs

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `furrow decode` for ArduPilot DataFlash `.bin` and PX4 `.ulg` logs: JSON lines, columnar batches
/// (`--format none`) or a parse only (`--format frames`), and the counters with `--stats`/`--stats-json`.
struct FlightLogSession {
    enum Kind: String {
        case bin, ulg
    }

    let kind: Kind
    let format: DecodeCommand.OutputFormat
    let filter: TypeFilter?
    var clock = DataFlashClock()
    var json = FlightLogJSONWriter()
    var dataflashBatcher = DataFlashBatcher()
    var ulogBatcher = ULogBatcher()
    var buffer: [UInt8] = []
    var batchedRows = 0
    var batches = 0
    /// Rows per series key (``LogBatch/seriesKey``) in `--format none`.
    var seriesRows: [String: Int] = [:]
    /// Filter verdict per ULog msg_id.
    var accepted: [Int: Bool] = [:]

    /// The flight-log kind of a file: declared, by extension, or by its first bytes.
    static func detect(_ prefix: [UInt8], declared: DecodeCommand.InputKind, path: String) -> Kind? {
        switch declared {
        case .bin: return .bin
        case .ulg: return .ulg
        case .tlog, .raw: return nil
        case .auto:
            let lower = path.lowercased()
            if lower.hasSuffix(".ulg") { return .ulg }
            // Raw MAVLink captures are also called .bin: a .bin is DataFlash when its first bytes hold an A3 95 header.
            if lower.hasSuffix(".bin") && zip(prefix, prefix.dropFirst()).contains(where: { $0 == 0xA3 && $1 == 0x95 }) {
                return .bin
            }
            return prefix.withUnsafeBytes { bytes in
                if DataFlashReader.looksLikeDataFlash(bytes) { return .bin }
                if ULogReader.looksLikeULog(bytes) { return .ulg }
                return nil
            }
        }
    }

    /// The first bytes of a regular file (none for standard input, which cannot be read twice).
    static func prefix(of path: String) -> [UInt8] {
        guard path != "-" else { return [] }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 16)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, 16) }
        return Array(bytes.prefix(Swift.max(n, 0)))
    }

    init(kind: Kind, format: DecodeCommand.OutputFormat, filter: TypeFilter?) {
        self.kind = kind
        self.format = format
        self.filter = filter
        buffer.reserveCapacity(1 << 17)
    }

    /// Reads the whole file through the matching reader; returns the report fields.
    static func run(kind: Kind, path: String, format: DecodeCommand.OutputFormat, filter: TypeFilter?) throws -> [(String, String)] {
        var output = FlightLogSession(kind: kind, format: format, filter: filter)
        let started = ContinuousClock.now
        let file = ChunkedFileReader(path: path)
        var fields: [(String, String)]
        switch kind {
        case .bin:
            var reader = DataFlashReader()
            try file.forEachChunk { chunk in reader.feed(chunk) { output.take($0) } }
            reader.finish { output.take($0) }
            var batcher = output.dataflashBatcher
            batcher.flush { output.consume($0) }
            output.flushBuffer()
            fields = output.report(dataflash: reader)
        case .ulg:
            var reader = ULogReader()
            try file.forEachChunk { chunk in try reader.feed(chunk) { output.take($0) } }
            try reader.finish { output.take($0) }
            var batcher = output.ulogBatcher
            batcher.flush { output.consume($0) }
            output.flushBuffer()
            fields = output.report(ulog: reader)
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let bytes = Int(fields.first { $0.0 == "bytes" }?.1 ?? "0") ?? 0
        fields.append(("seconds", JSONLineWriter.pythonRepr(seconds)))
        fields.append(("megabytesPerSecond", JSONLineWriter.pythonRepr(seconds > 0 ? Double(bytes) / seconds / 1e6 : 0)))
        return fields
    }

    mutating func accepts(_ key: Int, _ name: @autoclosure () -> String) -> Bool {
        guard let filter else { return true }
        if let known = accepted[key] { return known }
        let ok = filter.matches(name())
        accepted[key] = ok
        return ok
    }

    mutating func take(_ message: DataFlashMessage) {
        // DFReader's clock sees every message, filtered or not.
        let timestamp = format == .jsonl ? clock.timestamp(for: message) : nil
        if let filter, !filter.matches(message.format.name) { return }
        switch format {
        case .frames: return
        case .none:
            var done: [LogBatch] = []
            dataflashBatcher.append(message) { done.append($0) }
            for batch in done { consume(batch) }
        case .jsonl, .csv:
            json.write(message, timestamp: timestamp, to: &buffer)
            if buffer.count >= 1 << 16 { flushBuffer() }
        }
    }

    mutating func take(_ event: ULogEvent) {
        if case .data(let data) = event {
            guard accepts(Int(data.subscription.msgID), data.subscription.name) else { return }
            switch format {
            case .frames: return
            case .none:
                var done: [LogBatch] = []
                ulogBatcher.append(data) { done.append($0) }
                for batch in done { consume(batch) }
                return
            case .jsonl, .csv: break
            }
        } else if format != .jsonl && format != .csv {
            return
        }
        json.write(event, to: &buffer)
        if buffer.count >= 1 << 16 { flushBuffer() }
    }

    mutating func consume(_ batch: LogBatch) {
        batches += 1
        batchedRows += batch.count
        seriesRows[batch.seriesKey, default: 0] += batch.count
    }

    mutating func flushBuffer() {
        guard !buffer.isEmpty else { return }
        writeAll(1, buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: - Report

    static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        FlightLogJSONWriter.append(.text(s), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func report(dataflash: DataFlashReader) -> [(String, String)] {
        let q = Self.quoted
        let s = dataflash.statistics
        var out: [(String, String)] = [
            ("input", q(kind.rawValue)),
            ("bytes", "\(s.bytes)"), ("messages", "\(s.messages)"), ("formats", "\(s.formats)"),
            ("skippedBytes", "\(s.skippedBytes)"), ("resyncs", "\(s.resyncs)"),
            ("undecodableMessages", "\(s.undecodableMessages)"),
            ("parameters", "\(dataflash.parameters.count)"), ("events", "\(dataflash.events.count)"),
        ]
        out += truncationFields(dataflash.truncation, q)
        out.append(("diagnostics", "\(dataflash.diagnostics.count)"))
        if let first = dataflash.diagnostics.first.first { out.append(("firstDiagnostic", q(first.description))) }
        out += batchFields
        let formats = dataflash.formats
        var counts: [String] = []
        for (type, n) in s.countsByType.enumerated() where n > 0 {
            counts.append("\(q(formats[UInt8(type)]?.name ?? "type\(type)")): \(n)")
        }
        out.append(("counts", "{" + counts.joined(separator: ", ") + "}"))
        return out
    }

    func report(ulog: ULogReader) -> [(String, String)] {
        let q = Self.quoted
        let s = ulog.statistics
        var out: [(String, String)] = [
            ("input", q(kind.rawValue)),
            ("bytes", "\(s.bytes)"), ("version", "\(ulog.header?.version ?? 0)"),
            ("startTimestamp", "\(ulog.header?.timestamp ?? 0)"), ("messages", "\(s.messages)"),
            ("dataMessages", "\(s.dataMessages)"), ("badDataMessages", "\(s.badDataMessages)"),
            ("unknownMessages", "\(s.unknownMessages)"), ("skippedBytes", "\(s.skippedBytes)"),
            ("resyncs", "\(s.resyncs)"), ("syncs", "\(s.syncs)"), ("dropouts", "\(s.dropouts)"),
            ("dropoutMillis", "\(s.dropoutMillis)"), ("formats", "\(ulog.formats.count)"),
            ("subscriptions", "\(ulog.subscriptions.count)"),
            ("appendedData", ulog.flagBits?.hasAppendedData == true ? "true" : "false"),
        ]
        out += truncationFields(ulog.truncation, q)
        out.append(("diagnostics", "\(ulog.diagnostics.count)"))
        if let first = ulog.diagnostics.first.first { out.append(("firstDiagnostic", q(first.description))) }
        out += batchFields
        return out
    }

    var batchFields: [(String, String)] {
        guard format == .none else { return [] }
        let series = seriesRows.keys.sorted().map { "\(Self.quoted($0)): \(seriesRows[$0]!)" }
        return [("batches", "\(batches)"), ("batchedRows", "\(batchedRows)"), ("series", "{" + series.joined(separator: ", ") + "}")]
    }

    func truncationFields(_ t: LogTruncation?, _ q: (String) -> String) -> [(String, String)] {
        guard let t else { return [("truncated", "false")] }
        return [
            ("truncated", "true"), ("truncationOffset", "\(t.offset)"), ("truncationDroppedBytes", "\(t.droppedBytes)"),
            ("truncationMessage", t.messageName.map(q) ?? "null"), ("truncationReason", q(t.reason)),
        ]
    }
}
