/// A datagram of the Semtech UDP packet-forwarder protocol (v2; v1 is accepted): gateway ↔ network server.
///
/// Every packet starts with the protocol version, a 2-byte random token and an identifier; gateway-sent
/// packets then carry the gateway EUI, and data packets a JSON body (Lora-net/packet_forwarder
/// `PROTOCOL.TXT`). The JSON stays raw bytes here; `SemtechPushData` and `SemtechTxAcknowledgement`
/// decode it.
///
/// ```swift
/// let packet = try SemtechPacket.parse(datagram)
/// if let ack = packet.acknowledgement { send(ack.encoded()) }   // PUSH_ACK / PULL_ACK
/// ```
public struct SemtechPacket: Sendable, Hashable {
    /// The packet identifier and what follows it.
    public enum Body: Sendable, Hashable {
        /// 0x00, gateway → server: received packets and/or status.
        case pushData(gateway: LoRaWANEUI, json: [UInt8])
        /// 0x01, server → gateway: PUSH_DATA received.
        case pushAck
        /// 0x02, gateway → server: keep-alive that opens the downlink path.
        case pullData(gateway: LoRaWANEUI)
        /// 0x03, server → gateway: a packet to transmit (`{"txpk":{…}}`).
        case pullResp(json: [UInt8])
        /// 0x04, server → gateway: PULL_DATA received.
        case pullAck
        /// 0x05, gateway → server (v2): result of a PULL_RESP; the JSON may be empty (success).
        case txAck(gateway: LoRaWANEUI, json: [UInt8])

        /// The identifier byte.
        public var identifier: UInt8 {
            switch self {
            case .pushData: 0x00
            case .pushAck: 0x01
            case .pullData: 0x02
            case .pullResp: 0x03
            case .pullAck: 0x04
            case .txAck: 0x05
            }
        }
    }

    /// Protocol version, 2 today (1 lacked TX_ACK).
    public let version: UInt8
    /// The random token that pairs a packet with its acknowledgement (bytes 1–2, first byte high).
    public let token: UInt16
    public let body: Body

    public init(version: UInt8 = 2, token: UInt16, body: Body) {
        self.version = version
        self.token = token
        self.body = body
    }

    /// Parses one datagram.
    ///
    /// - Throws: `.truncated` below the header length, `.unsupportedVersion` for versions other than 1 and 2,
    ///   `.unknownPacketType` for identifiers above 0x05, `.malformed` for bytes after an ACK.
    public static func parse(_ datagram: some Collection<UInt8>) throws(LoRaWANError) -> SemtechPacket {
        let bytes = Array(datagram)
        guard bytes.count >= 4 else {
            throw LoRaWANError(code: .truncated, reason: "a packet-forwarder datagram has at least 4 bytes, got \(bytes.count)")
        }
        guard bytes[0] == 1 || bytes[0] == 2 else {
            throw LoRaWANError(code: .unsupportedVersion, reason: "packet-forwarder protocol version \(bytes[0]), expected 1 or 2")
        }
        let token = UInt16(bytes[1]) << 8 | UInt16(bytes[2])
        func gateway() throws(LoRaWANError) -> LoRaWANEUI {
            guard bytes.count >= 12 else {
                throw LoRaWANError(code: .truncated, reason: "identifier \(bytes[3]) needs a gateway EUI in bytes 4-11, got \(bytes.count) bytes")
            }
            return try LoRaWANEUI(bigEndian: bytes[4..<12])
        }
        func bare(_ body: Body) throws(LoRaWANError) -> Body {
            guard bytes.count == 4 else {
                throw LoRaWANError(code: .malformed, reason: "an acknowledgement is 4 bytes, got \(bytes.count)")
            }
            return body
        }
        let body: Body
        switch bytes[3] {
        case 0x00: body = .pushData(gateway: try gateway(), json: Array(bytes[12...]))
        case 0x01: body = try bare(.pushAck)
        case 0x02:
            let eui = try gateway()
            guard bytes.count == 12 else {
                throw LoRaWANError(code: .malformed, reason: "PULL_DATA is 12 bytes, got \(bytes.count)")
            }
            body = .pullData(gateway: eui)
        case 0x03: body = .pullResp(json: Array(bytes[4...]))
        case 0x04: body = try bare(.pullAck)
        case 0x05: body = .txAck(gateway: try gateway(), json: Array(bytes[12...]))
        default:
            throw LoRaWANError(code: .unknownPacketType, reason: "packet-forwarder identifier 0x\(String(bytes[3], radix: 16)) is not 0x00-0x05")
        }
        return SemtechPacket(version: bytes[0], token: token, body: body)
    }

    /// The datagram bytes.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = [version, UInt8(token >> 8), UInt8(truncatingIfNeeded: token), body.identifier]
        switch body {
        case .pushData(let gateway, let json), .txAck(let gateway, let json):
            out += gateway.bigEndianBytes + json
        case .pullData(let gateway):
            out += gateway.bigEndianBytes
        case .pullResp(let json):
            out += json
        case .pushAck, .pullAck:
            break
        }
        return out
    }

    /// The acknowledgement a server sends back: PUSH_ACK for PUSH_DATA, PULL_ACK for PULL_DATA; nil otherwise.
    public var acknowledgement: SemtechPacket? {
        switch body {
        case .pushData: SemtechPacket(version: version, token: token, body: .pushAck)
        case .pullData: SemtechPacket(version: version, token: token, body: .pullAck)
        default: nil
        }
    }
}
