/// Why a gateway packet, a LoRaWAN frame or a device payload could not be used.
///
/// A stable `code` and a message that names the part at fault (which field, which byte, which key), so a
/// gateway operator can tell a misconfigured key from radio noise.
public struct LoRaWANError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem; stable across releases.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Fewer bytes than the structure needs.
        public static let truncated = Code(rawValue: "truncated")
        /// Bytes that cannot be what they claim (bad length field, reserved values, extra bytes).
        public static let malformed = Code(rawValue: "malformed")
        /// A packet-forwarder protocol version or LoRaWAN major version this code does not speak.
        public static let unsupportedVersion = Code(rawValue: "unsupported-version")
        /// An unknown packet-forwarder packet identifier.
        public static let unknownPacketType = Code(rawValue: "unknown-packet-type")
        /// The JSON body does not decode.
        public static let invalidJSON = Code(rawValue: "invalid-json")
        /// `data` is not valid base64.
        public static let invalidBase64 = Code(rawValue: "invalid-base64")
        /// A key that is not 16 bytes (32 hex digits).
        public static let invalidKey = Code(rawValue: "invalid-key")
        /// The MIC does not match: wrong NwkSKey/AppKey, wrong frame counter, or a corrupted frame.
        public static let micMismatch = Code(rawValue: "mic-mismatch")
        /// The operation does not apply to this frame (decrypting a join request, an uplink MIC on a downlink).
        public static let wrongFrameType = Code(rawValue: "wrong-frame-type")
        /// A device payload that its decoder cannot read (unknown type, wrong port, short).
        public static let invalidPayload = Code(rawValue: "invalid-payload")
        /// The AES primitive refused (should not happen with validated keys and blocks).
        public static let crypto = Code(rawValue: "crypto")

        public var description: String { rawValue }
    }

    public let code: Code
    /// What is wrong, for a human.
    public let reason: String

    public init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "LoRaWAN: \(reason) [\(code)]" }
}
