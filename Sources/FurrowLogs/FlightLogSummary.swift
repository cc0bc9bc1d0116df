/// Why a flight log could not be summarised at all.
public struct FlightSummaryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable codes for programs.
    public enum Code: String, Sendable, Hashable {
        /// The first bytes match no supported format.
        case unknownFormat = "unknown-format"
        /// The file could not be opened or read.
        case unreadable
        /// The reader refused the file (not a ULog, unknown incompatible flags, header cut).
        case unreadableLog = "unreadable-log"
    }

    /// What went wrong.
    public let code: Code
    /// The file.
    public let path: String
    /// What was found.
    public let detail: String

    public init(_ code: Code, path: String, _ detail: String) {
        self.code = code
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(path): \(code.rawValue): \(detail)" }
}

/// Reads a flight log file once and summarises it: the one call for the CLI, the upload importer and exports.
public enum FlightLogSummary {
    /// Detects the format by its first bytes (unless given), streams the file through the matching reader and a
    /// ``FlightSummarizer``, and returns the summary. A cut file yields a summary up to the cut (see
    /// ``FlightSummary/truncation``).
    /// - Throws: ``FlightSummaryError``.
    public static func read(
        path: String, format: FlightLogFormat? = nil, options: FlightSummaryOptions = FlightSummaryOptions(), chunkSize: Int = 1 << 20
    ) throws(FlightSummaryError) -> FlightSummary {
        let file = ChunkedFileReader(path: path, chunkSize: chunkSize)
        var session = Session(format: format, options: options)
        do {
            try file.forEachChunk { chunk in try session.feed(chunk) }
            return try session.finish()
        } catch let error as FlightSummaryError {
            throw error.path.isEmpty ? FlightSummaryError(error.code, path: path, error.detail) : error
        } catch let error as FileReadError {
            throw FlightSummaryError(.unreadable, path: path, error.description)
        } catch {
            throw FlightSummaryError(.unreadableLog, path: path, "\(error)")
        }
    }

    /// Summarises a log held in memory.
    /// - Throws: ``FlightSummaryError``.
    public static func summarize(
        bytes: [UInt8], format: FlightLogFormat? = nil, options: FlightSummaryOptions = FlightSummaryOptions()
    ) throws(FlightSummaryError) -> FlightSummary {
        var session = Session(format: format, options: options)
        do {
            try bytes.withUnsafeBytes { try session.feed($0) }
            return try session.finish()
        } catch let error as FlightSummaryError {
            throw error
        } catch {
            throw FlightSummaryError(.unreadableLog, path: "", "\(error)")
        }
    }

    /// Streaming state: the reader chosen from the first bytes and the summarizer.
    public struct Session: Sendable {
        /// The format, once known.
        public private(set) var format: FlightLogFormat?
        let options: FlightSummaryOptions
        var pending: [UInt8] = []
        var summarizer: FlightSummarizer?
        var tlog: TlogReader?
        var dataflash: DataFlashReader?
        var ulog: ULogReader?

        /// A session for a file of `format`, or of the format its first bytes show.
        public init(format: FlightLogFormat? = nil, options: FlightSummaryOptions = FlightSummaryOptions()) {
            self.format = format
            self.options = options
        }

        /// Feeds the next chunk of the file.
        /// - Throws: ``FlightSummaryError`` (`unknown-format`), ``LogReadError`` from the ULog reader.
        public mutating func feed(_ chunk: UnsafeRawBufferPointer) throws {
            if summarizer == nil {
                if format == nil {
                    // Hold the first bytes until 16 are there to recognise the format, then feed them as one chunk.
                    pending.append(contentsOf: chunk)
                    guard pending.count >= 16 else { return }
                    format = FlightLogFormat.detect(pending)
                    guard format != nil else {
                        throw FlightSummaryError(.unknownFormat, path: "", "the first bytes are not a .tlog, DataFlash .bin or ULog")
                    }
                    try start()
                    let held = pending
                    pending = []
                    try held.withUnsafeBytes { try feedReader($0) }
                    return
                }
                try start()
            }
            try feedReader(chunk)
        }

        mutating func start() throws {
            guard let format else { return }
            summarizer = FlightSummarizer(format: format, options: options)
            switch format {
            case .tlog: tlog = TlogReader()
            case .dataflash: dataflash = DataFlashReader()
            case .ulog: ulog = ULogReader()
            }
        }

        mutating func feedReader(_ chunk: UnsafeRawBufferPointer) throws {
            guard var s = summarizer else { return }
            defer { summarizer = s }
            if var r = tlog {
                r.feed(chunk) { s.add($0) }
                tlog = r
            } else if var r = dataflash {
                r.feed(chunk) { s.add($0) }
                dataflash = r
            } else if var r = ulog {
                defer { ulog = r }
                try r.feed(chunk) { s.add($0) }
            }
        }

        /// Ends the file and returns the summary.
        /// - Throws: ``FlightSummaryError`` when the file was too short to recognise, ``LogReadError`` when a
        ///   ULog ended inside its header.
        public mutating func finish() throws -> FlightSummary {
            if summarizer == nil {
                if format == nil {
                    format = FlightLogFormat.detect(pending)
                    guard format != nil else {
                        throw FlightSummaryError(.unknownFormat, path: "", "\(pending.count) bytes are not a recognisable flight log")
                    }
                }
                try start()
                let held = pending
                pending = []
                try held.withUnsafeBytes { try feedReader($0) }
            }
            guard var s = summarizer else {
                throw FlightSummaryError(.unknownFormat, path: "", "no format")
            }
            if var r = tlog {
                r.finish { s.add($0) }
                return s.finish(reader: r)
            } else if var r = dataflash {
                r.finish { s.add($0) }
                return s.finish(reader: r)
            } else if var r = ulog {
                try r.finish { s.add($0) }
                return s.finish(reader: r)
            }
            return s.finish()
        }
    }
}
