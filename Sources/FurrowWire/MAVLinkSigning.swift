import Crypto

/// What a framer does with signatures: verify them with a shared 32-byte key, and whether unsigned frames pass.
public struct MAVLinkSigningPolicy: Sendable {
    /// The 32-byte secret key shared with the senders (distributed by SETUP_SIGNING).
    public let key: [UInt8]
    /// Accept frames without a signature block (for links where only some senders sign).
    public var allowUnsigned: Bool

    /// Creates a policy; throws if `key` is not 32 bytes.
    public init(key: [UInt8], allowUnsigned: Bool = false) throws(MAVLinkSigningError) {
        guard key.count == 32 else { throw .badKeyLength(key.count) }
        self.key = key
        self.allowUnsigned = allowUnsigned
    }

    /// Creates a policy from 64 hexadecimal digits.
    public init(hexKey: String, allowUnsigned: Bool = false) throws(MAVLinkSigningError) {
        var bytes: [UInt8] = []
        var pending: UInt8? = nil
        for scalar in hexKey.unicodeScalars {
            guard let nibble = UInt8(String(scalar), radix: 16) else {
                throw .badHexKey
            }
            if let high = pending {
                bytes.append(high << 4 | nibble)
                pending = nil
            } else {
                pending = nibble
            }
        }
        guard pending == nil else { throw .badHexKey }
        try self.init(key: bytes, allowUnsigned: allowUnsigned)
    }
}

/// Why a signing key was refused.
public enum MAVLinkSigningError: Error, Equatable, CustomStringConvertible {
    case badKeyLength(Int)
    case badHexKey

    public var description: String {
        switch self {
        case .badKeyLength(let n): "a MAVLink signing key is 32 bytes, got \(n)"
        case .badHexKey: "a MAVLink signing key is 64 hexadecimal digits"
        }
    }
}

/// The verdict on one frame's signature.
@usableFromInline
enum MAVLinkSignatureVerdict {
    case accepted, badSignature, replayed, unsignedRejected, unsignedAllowed
}

/// Checks signatures and keeps the per-stream timestamps that reject replays.
///
/// Streams are keyed by (link id, system id, component id) as in the MAVLink signing spec. A new stream is
/// accepted at any timestamp (logs are verified against their own timeline, not the wall clock); after that
/// timestamps must strictly increase. A stream's timestamp advances only when a signature verifies, so a
/// forged frame cannot push it forward.
@usableFromInline
struct MAVLinkSignatureVerifier: Sendable {
    let policy: MAVLinkSigningPolicy
    private var lastTimestamps: [UInt32: UInt64] = [:]

    init(policy: MAVLinkSigningPolicy) {
        self.policy = policy
    }

    /// Verifies `frame`, whose bytes run from STX through the signature block.
    @usableFromInline
    mutating func verify(_ frame: UnsafeRawBufferPointer, signed: Bool, systemID: UInt8, componentID: UInt8)
        -> MAVLinkSignatureVerdict
    {
        guard signed else { return policy.allowUnsigned ? .unsignedAllowed : .unsignedRejected }
        let blockStart = frame.count - 13
        let linkID = frame[blockStart]
        var timestamp: UInt64 = 0
        for i in 0..<6 { timestamp |= UInt64(frame[blockStart + 1 + i]) << (8 * UInt64(i)) }
        let stream = UInt32(linkID) << 16 | UInt32(systemID) << 8 | UInt32(componentID)
        if let last = lastTimestamps[stream], timestamp <= last { return .replayed }

        var hasher = SHA256()
        policy.key.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: frame[0..<(frame.count - 6)]))
        let digest = hasher.finalize()
        let matches = digest.withUnsafeBytes { d in
            (0..<6).allSatisfy { d[$0] == frame[frame.count - 6 + $0] }
        }
        guard matches else { return .badSignature }
        lastTimestamps[stream] = timestamp
        return .accepted
    }
}
