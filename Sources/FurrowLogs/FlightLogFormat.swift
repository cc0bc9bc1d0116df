/// Which flight-log format a summary was read from, so callers can say where times and fields came from.
public enum FlightLogFormat: String, Sendable, Codable, Hashable, CaseIterable {
    /// MAVLink telemetry log: 8-byte UTC timestamp + one frame per record.
    case tlog
    /// ArduPilot DataFlash `.bin`.
    case dataflash
    /// PX4 ULog `.ulg`.
    case ulog

    /// Detects the format from the first bytes of a file (16 are enough); nil when none matches.
    public static func detect(_ prefix: UnsafeRawBufferPointer) -> FlightLogFormat? {
        if ULogReader.looksLikeULog(prefix) { return .ulog }
        if DataFlashReader.looksLikeDataFlash(prefix) { return .dataflash }
        if TlogReader.looksLikeTlog(prefix) { return .tlog }
        return nil
    }

    /// Detects the format from the first bytes of a file held in an array.
    public static func detect(_ prefix: [UInt8]) -> FlightLogFormat? {
        prefix.withUnsafeBytes { detect($0) }
    }
}
