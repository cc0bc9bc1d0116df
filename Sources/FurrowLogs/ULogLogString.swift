/// A logged string ('L', or 'C' with a tag).
public struct ULogLogString: Sendable, Hashable {
    /// Syslog level as an ASCII digit ('0' emergency … '7' debug), as the file stores it.
    public let level: UInt8
    /// The tag of a 'C' message.
    public let tag: UInt16?
    /// Microseconds since boot.
    public let timestamp: UInt64
    /// The text.
    public let message: String
}
