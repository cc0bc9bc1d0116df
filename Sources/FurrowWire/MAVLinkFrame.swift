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
    /// Start of the frame (the STX byte) in the receive buffer.
    @usableFromInline let start: UnsafeRawPointer
    /// Whole frame length in bytes, signature included.
    public let length: Int
    /// Index in the dialect, or -1. Header fields are read from the bytes on demand: the frame stays three
    /// words, passed in registers, and nothing is copied into it.
    @usableFromInline let index: Int

    @inlinable
    init(start: UnsafeRawPointer, length: Int, messageIndex: Int?) {
        self.start = start
        self.length = length
        self.index = messageIndex ?? -1
    }

    @inlinable @inline(__always)
    func byte(_ offset: Int) -> UInt8 { start.load(fromByteOffset: offset, as: UInt8.self) }

    /// v1 or v2.
    @inlinable @inline(__always) public var version: MAVLinkVersion { byte(0) == 0xFE ? .v1 : .v2 }
    /// Payload length as sent (after v2 zero-truncation).
    @inlinable @inline(__always) public var payloadLength: Int { Int(byte(1)) }
    /// v2 incompatibility flags (0 for v1).
    @inlinable @inline(__always) public var incompatFlags: UInt8 { version == .v1 ? 0 : byte(2) }
    /// v2 compatibility flags (0 for v1).
    @inlinable @inline(__always) public var compatFlags: UInt8 { version == .v1 ? 0 : byte(3) }
    /// Sender's 8-bit sequence number.
    @inlinable @inline(__always) public var sequence: UInt8 { byte(version == .v1 ? 2 : 4) }
    /// Sender's system id.
    @inlinable @inline(__always) public var systemID: UInt8 { byte(version == .v1 ? 3 : 5) }
    /// Sender's component id.
    @inlinable @inline(__always) public var componentID: UInt8 { byte(version == .v1 ? 4 : 6) }
    /// Message id.
    @inlinable public var messageID: UInt32 {
        version == .v1 ? UInt32(byte(5)) : UInt32(byte(7)) | UInt32(byte(8)) << 8 | UInt32(byte(9)) << 16
    }
    /// Index of the message in the framer's dialect, or nil for an id the dialect does not define.
    @inlinable @inline(__always) public var messageIndex: Int? { index < 0 ? nil : index }

    /// Header length: 6 for v1, 10 for v2.
    @inlinable @inline(__always) public var headerLength: Int { version == .v1 ? 6 : 10 }

    /// Whether a signature block follows the CRC.
    @inlinable @inline(__always) public var isSigned: Bool { incompatFlags & 0x01 != 0 }

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
