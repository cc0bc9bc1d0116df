/// What a ``ULogReader`` saw.
public struct ULogStatistics: Sendable, Hashable {
    /// Bytes fed.
    public var bytes = 0
    /// Messages read (all types, the header not counted).
    public var messages = 0
    /// Data ('D') messages delivered.
    public var dataMessages = 0
    /// Data messages dropped: no subscription for their id, or a size that does not fit the format.
    public var badDataMessages = 0
    /// Messages of a type this reader does not know (skipped by their size).
    public var unknownMessages = 0
    /// Bytes skipped: corruption, the part of a message cut by an appended-data offset, a cut tail.
    public var skippedBytes = 0
    /// Times the reader searched for a sync message after a corrupt header.
    public var resyncs = 0
    /// Sync ('S') messages.
    public var syncs = 0
    /// Dropout ('O') messages and their total duration.
    public var dropouts = 0
    public var dropoutMillis = 0

    public init() {}
}
