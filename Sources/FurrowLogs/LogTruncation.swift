/// Where and why a flight log stopped early: everything before `offset` was imported.
public struct LogTruncation: Sendable, Hashable, CustomStringConvertible {
    /// File offset of the first byte that could not be used (the start of the cut message).
    public let offset: Int
    /// Bytes after `offset` that were dropped.
    public let droppedBytes: Int
    /// The message that was cut, when its header was still readable (`GPS`, `D:vehicle_gps_position`).
    public let messageName: String?
    /// Why: what was expected and what was there.
    public let reason: String

    public init(offset: Int, droppedBytes: Int, messageName: String?, reason: String) {
        self.offset = offset
        self.droppedBytes = droppedBytes
        self.messageName = messageName
        self.reason = reason
    }

    public var description: String {
        "truncated at byte \(offset)" + (messageName.map { " in \($0)" } ?? "") + ": \(reason) (\(droppedBytes) bytes dropped)"
    }
}
