/// Identifies one MAVLink sender: a system id and a component id.
public struct MAVLinkSourceID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let systemID: UInt8
    public let componentID: UInt8

    public init(systemID: UInt8, componentID: UInt8) {
        self.systemID = systemID
        self.componentID = componentID
    }

    @inlinable var packed: Int { Int(systemID) << 8 | Int(componentID) }

    public static func < (a: Self, b: Self) -> Bool { a.packed < b.packed }
    public var description: String { "\(systemID)/\(componentID)" }
}

/// Per-sender frame counts and sequence gaps.
public struct MAVLinkSourceStatistics: Sendable, Hashable {
    /// Frames accepted from this sender.
    public var frames: Int = 0
    /// Times the sequence number jumped (a gap of one or more frames).
    public var sequenceGaps: Int = 0
    /// Frames missing according to the sequence numbers.
    public var framesLost: Int = 0

    public init() {}
}

/// What a framer saw: every byte is either in an accepted frame or counted as skipped.
public struct MAVLinkStatistics: Sendable, Hashable {
    /// Bytes fed to the framer.
    public var bytes: Int = 0
    /// Frames accepted (CRC-checked known ids, plus unknown ids passed through).
    public var frames: Int = 0
    /// Accepted MAVLink 1 frames.
    public var framesV1: Int = 0
    /// Accepted MAVLink 2 frames.
    public var framesV2: Int = 0
    /// Accepted MAVLink 2 frames whose payload was zero-truncated by the sender.
    public var truncatedPayloads: Int = 0
    /// Accepted frames that carried a signature block.
    public var signedFrames: Int = 0
    /// Signatures checked and found valid (only with a signing key).
    public var signaturesVerified: Int = 0
    /// Candidates whose CRC did not match (noise, corruption or a false start byte).
    public var crcFailures: Int = 0
    /// Frames with an id the dialect does not define, passed through as raw frames (after the signing policy).
    public var unknownIDs: Int = 0
    /// Candidates rejected for incompatibility flags this implementation does not know.
    public var incompatRejected: Int = 0
    /// Signed frames whose signature did not verify against the key.
    public var badSignatures: Int = 0
    /// Signed frames whose timestamp did not increase on their stream (replays).
    public var replayedSignatures: Int = 0
    /// Unsigned frames rejected because a key is configured and unsigned frames are not allowed.
    public var unsignedRejected: Int = 0
    /// Bytes that were not part of any accepted frame (noise, corrupt frames, trailing partial frames).
    public var bytesSkipped: Int = 0
    /// Frames accepted per sender, with sequence gaps.
    public var sources: [MAVLinkSourceID: MAVLinkSourceStatistics] = [:]

    public init() {}

    /// Sequence gaps summed over senders.
    public var sequenceGaps: Int { sources.values.reduce(0) { $0 + $1.sequenceGaps } }
    /// Frames lost according to sequence numbers, summed over senders.
    public var framesLost: Int { sources.values.reduce(0) { $0 + $1.framesLost } }
}
