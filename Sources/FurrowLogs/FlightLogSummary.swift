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
}
