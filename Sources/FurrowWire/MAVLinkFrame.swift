/// MAVLink protocol generation of a frame.
public enum MAVLinkVersion: UInt8, Sendable, Hashable {
    /// MAVLink 1: start byte 0xFE, 8-bit message ids, no extensions, no signing.
    case v1 = 1
    /// MAVLink 2: start byte 0xFD, 24-bit ids, zero-truncated payloads, optional signature.
    case v2 = 2
}

/// The 13-byte signature block that follows a signed MAVLink 2 frame.
public struct MAVLinkSignature: Sendable, Hashable {
    /// Link the signer sent on (part of the replay-protection stream key).
    public let linkID: UInt8
    /// 48-bit timestamp in 10 µs units since 2015-01-01T00:00:00Z.
    public let timestamp: UInt64
    /// First 6 bytes of SHA-256(key ‖ frame ‖ link id ‖ timestamp).
    public let signature: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)

    public static func == (a: Self, b: Self) -> Bool {
        a.linkID == b.linkID && a.timestamp == b.timestamp && a.signature == b.signature
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(linkID)
        hasher.combine(timestamp)
    }
}

/// One CRC-checked MAVLink frame, viewed in place in the buffer it was received in.
///
/// A frame is handed to a callback and is valid only for the duration of that call: its bytes are the
/// receive buffer's, never copied. Copy what must outlive the call (`bytes`, `payload`) or decode it.
public struct MAVLinkFrame {
    /// v1 or v2.
    public let version: MAVLinkVersion
    /// Payload length as sent (after v2 zero-truncation).
    public let payloadLength: Int
    /// v2 incompatibility flags (0 for v1).
    public let incompatFlags: UInt8
    /// v2 compatibility flags (0 for v1).
    public let compatFlags: UInt8
    /// Sender's 8-bit sequence number.
    public let sequence: UInt8
    /// Sender's system id.
    public let systemID: UInt8
    /// Sender's component id.
    public let componentID: UInt8
    /// Message id.
    public let messageID: UInt32
    /// Index of the message in the framer's dialect, or nil for an id the dialect does not define.
    public let messageIndex: Int?
    /// Start of the frame (the STX byte) in the receive buffer.
    @usableFromInline let start: UnsafeRawPointer
    /// Whole frame length in bytes, signature included.
    public let length: Int

    @inlinable
    init(
        start: UnsafeRawPointer, length: Int, version: MAVLinkVersion, payloadLength: Int, incompatFlags: UInt8,
        compatFlags: UInt8, sequence: UInt8, systemID: UInt8, componentID: UInt8, messageID: UInt32,
        messageIndex: Int?
    ) {
        self.start = start
        self.length = length
        self.version = version
        self.payloadLength = payloadLength
        self.incompatFlags = incompatFlags
        self.compatFlags = compatFlags
        self.sequence = sequence
        self.systemID = systemID
        self.componentID = componentID
        self.messageID = messageID
        self.messageIndex = messageIndex
    }

    /// Header length: 6 for v1, 10 for v2.
    @inlinable public var headerLength: Int { version == .v1 ? 6 : 10 }

    /// Whether a signature block follows the CRC.
    @inlinable public var isSigned: Bool { incompatFlags & 0x01 != 0 }

    /// The signature block, if the frame is signed.
    public var signature: MAVLinkSignature? {
        guard isSigned else { return nil }
        let s = start + headerLength + payloadLength + 2
        var timestamp: UInt64 = 0
        for i in 0..<6 { timestamp |= UInt64(s.load(fromByteOffset: 1 + i, as: UInt8.self)) << (8 * UInt64(i)) }
        let b = { (i: Int) in s.load(fromByteOffset: 7 + i, as: UInt8.self) }
        return MAVLinkSignature(
            linkID: s.load(as: UInt8.self), timestamp: timestamp, signature: (b(0), b(1), b(2), b(3), b(4), b(5)))
    }

    /// The checksum as sent.
    public var checksum: UInt16 {
        let p = start + headerLength + payloadLength
        return UInt16(p.load(as: UInt8.self)) | UInt16(p.load(fromByteOffset: 1, as: UInt8.self)) << 8
    }

    /// Calls `body` with the frame's bytes (STX through CRC and signature), valid only inside the call.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: start, count: length))
    }

    /// Calls `body` with the payload as sent (possibly zero-truncated), valid only inside the call.
    @inlinable
    public func withUnsafePayload<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: start + headerLength, count: payloadLength))
    }

    /// A copy of the whole frame.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// A copy of the payload as sent.
    public var payload: [UInt8] { withUnsafePayload { Array($0) } }
}
