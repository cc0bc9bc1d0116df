extension FlightLogSummary {
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
