/// The ULog file header: version and when logging started.
public struct ULogHeader: Sendable, Hashable {
    /// File format version (1).
    public let version: UInt8
    /// Logging start, microseconds since boot.
    public let timestamp: UInt64
}
