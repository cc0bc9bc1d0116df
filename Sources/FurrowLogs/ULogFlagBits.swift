/// The 'B' flag-bits message.
public struct ULogFlagBits: Sendable, Hashable {
    /// Compatible flags (bit 0 of byte 0: default parameters present).
    public let compatFlags: [UInt8]
    /// Incompatible flags (bit 0 of byte 0: data appended); any other bit makes the log unreadable.
    public let incompatFlags: [UInt8]
    /// File offsets where appended data starts (zeros dropped).
    public let appendedOffsets: [UInt64]
    /// Whether bit 0 of the incompatible flags says data was appended.
    public var hasAppendedData: Bool { incompatFlags.first.map { $0 & 1 != 0 } ?? false }
}
