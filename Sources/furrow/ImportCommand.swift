import ArgumentParser
import FurrowStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `furrow import`: bring data users already have (InfluxDB line protocol) into a pilot project's store.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import InfluxDB line protocol or CSV into the store.",
        discussion: """
            Line protocol: one row group per measurement and tag set, one channel per field; the value of \
            --source-tag names the source. CSV: a header row, a time column (ISO 8601 with a zone, or numbers \
            in --precision, seconds by default), one channel per other column, into the row group --group of \
            --source. Lines that do not parse, or do not match earlier lines of the same series, are reported \
            with their line numbers and skipped. Reads standard input for -, and keeps flushing every \
            --flush-interval-ms while it waits for input.
            """
    )

    @Argument(help: "Line protocol file, or - for standard input.")
    var file: String

    @Option(help: "The store's SQLite file (created if missing).")
    var db: String

    @Option(help: "Pilot project the data belongs to.")
    var project: String

    @Option(help: "Input format: lp (InfluxDB line protocol) or csv.")
    var format: String = "lp"

    @Option(help: "Unit of numeric timestamps: ns, us, ms or s (default: ns for lp, s for csv).")
    var precision: String?

    @Option(help: "CSV: the row group the columns belong to (e.g. soil).")
    var group: String?

    @Option(help: "CSV: the source (sensor node, drone) of every row.")
    var source: String?

    @Option(name: .customLong("time-column"), help: "CSV: the time column (default: time/timestamp/date, else the first).")
    var timeColumn: String?

    @Option(name: .customLong("source-tag"), help: "Tag whose value names the source.")
    var sourceTag: String = "source"

    @Option(name: .customLong("flush-interval-ms"), help: "Longest time a value waits in memory (what a crash can lose).")
    var flushIntervalMilliseconds: Int = 1000

    func run() async throws {
        guard format == "lp" || format == "csv" else { throw ValidationError("--format must be lp or csv") }
        guard let precision = LineProtocolImporter.Precision(rawValue: precision ?? (format == "csv" ? "s" : "ns"))
        else { throw ValidationError("--precision must be one of ns, us, ms, s") }
        if format == "csv" && (group == nil || source == nil) {
            throw ValidationError("--format csv needs --group and --source")
        }
        let interval = Duration.milliseconds(max(1, flushIntervalMilliseconds))
        let store = try TimeSeriesStore(path: db, options: .init(flushInterval: interval))
        var lp = LineProtocolImporter(store: store, project: project, sourceTag: sourceTag, precision: precision)
        var csv = CSVImporter(
            store: store, group: StoreGroupKey(project: project, source: source ?? "", name: group ?? ""),
            timeColumn: timeColumn, precision: precision)
        var reader = try LineReader(path: file)
        let isCSV = format == "csv"
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await store.run() }
            var number = 0
            var lastCommit = ContinuousClock.now
            while let line = try reader.next() {
                number += 1
                let text = String(decoding: line, as: UTF8.self)
                if isCSV {
                    try await csv.add(line: text, number: number)
                } else {
                    try await lp.add(line: text, number: number, now: WallClock.nowMicros)
                }
                // Hand queued rows to the store at least twice per flush interval, so a slow stream is flushed
                // on time too.
                if ContinuousClock.now - lastCommit >= interval / 2 {
                    if isCSV { try await csv.commit() } else { try await lp.commit() }
                    lastCommit = .now
                }
            }
            if isCSV { try await csv.commit() } else { try await lp.commit() }
            tasks.cancelAll()
            try await tasks.waitForAll()
        }
        try await store.flush()
        let report = isCSV ? csv.report : lp.report
        printError("imported \(report.points) points (\(report.values) values) from \(report.lines) lines; "
            + "refused \(report.refused)")
        for problem in report.problems { printError("  \(problem)") }
    }
}

enum WallClock {
    /// Wall-clock time in µs since the Unix epoch.
    static var nowMicros: Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}

/// Lines of a file or standard input, read with POSIX `read` in 64 KiB blocks (no line-length limit but memory).
struct LineReader {
    let fd: Int32
    var buffer: [UInt8] = []
    var start = 0
    var eof = false

    init(path: String) throws {
        if path == "-" {
            fd = 0
        } else {
            fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw ValidationError("cannot open \(path): \(String(cString: strerror(errno)))") }
        }
    }

    mutating func next() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                defer { start = newline + 1 }
                return buffer[start..<newline]
            }
            if eof {
                guard start < buffer.count else { return nil }
                defer { start = buffer.count }
                return buffer[start...]
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            var block = [UInt8](repeating: 0, count: 1 << 16)
            let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ValidationError("read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { eof = true } else { buffer += block[0..<n] }
        }
    }
}
