import Crypto
import FurrowWire

/// The dialect every run uses.
let dialect = MAVLinkDialect.ardupilotmega

/// The framer's signing configurations under test.
enum SigningMode: CaseIterable, CustomStringConvertible {
    /// No key: signatures are parsed, not checked.
    case none
    /// A key, unsigned frames rejected.
    case strict
    /// A key, unsigned frames accepted.
    case allowUnsigned

    /// The 32-byte key (the one the unit tests use); `FrameFixer` signs with it.
    static let key: [UInt8] = (0..<32).map { UInt8($0 * 7 + 3) }

    /// A new framer for this mode: a copy of one made once, so its 256 KB per-sender table is allocated
    /// (copy-on-write) only when a run delivers a frame.
    var framer: MAVLinkFramer {
        switch self {
        case .none: Self.templates.0
        case .strict: Self.templates.1
        case .allowUnsigned: Self.templates.2
        }
    }

    private static let templates = (
        MAVLinkFramer(dialect: dialect, signing: SigningMode.none.policy),
        MAVLinkFramer(dialect: dialect, signing: SigningMode.strict.policy),
        MAVLinkFramer(dialect: dialect, signing: SigningMode.allowUnsigned.policy)
    )

    var policy: MAVLinkSigningPolicy? {
        switch self {
        case .none: nil
        case .strict: try! MAVLinkSigningPolicy(key: Self.key)
        case .allowUnsigned: try! MAVLinkSigningPolicy(key: Self.key, allowUnsigned: true)
        }
    }

    var description: String {
        switch self {
        case .none: "unsigned"
        case .strict: "signed-strict"
        case .allowUnsigned: "signed-allow-unsigned"
        }
    }

    /// The first 6 bytes of SHA-256(key ‖ frame up to the signature): what a signed frame must end with.
    static func signature(of frameBeforeSignature: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256()
        key.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: frameBeforeSignature)
        return Array(hasher.finalize().prefix(6))
    }
}
