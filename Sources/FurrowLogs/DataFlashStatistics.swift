/// What a ``DataFlashReader`` saw.
public struct DataFlashStatistics: Sendable, Hashable {
    /// Bytes fed.
    public var bytes = 0
    /// Messages delivered (FMT and the other metadata records included).
    public var messages = 0
    /// Bytes that were not part of any message (garbage, unknown types, a cut tail).
    public var skippedBytes = 0
    /// Times the reader lost the message structure and searched for the next `A3 95` header.
    public var resyncs = 0
    /// FMT records accepted.
    public var formats = 0
    /// Messages of a type whose FMT could not be used (skipped whole, by the length FMT gave).
    public var undecodableMessages = 0
    /// Messages per type byte.
    public var countsByType = [Int](repeating: 0, count: 256)

    public init() {}
}
