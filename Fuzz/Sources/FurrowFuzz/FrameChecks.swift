import FurrowWire

/// Checks on one frame handed out by the framer or the .tlog reader, against its own bytes.
enum FrameChecks {
    /// Header, length, CRC and signature (when a key is in use); with `deep`, also the copying accessors and
    /// decoding against the reference decoder.
    ///
    /// Returns the decoded values (normalised) for a known message when `deep`, otherwise nil.
    @discardableResult
    static func check(_ frame: MAVLinkFrame, signing: SigningMode, deep: Bool) -> [NormalizedValue]? {
        frame.withUnsafeBytes { b in
            require(b.count == frame.length, "withUnsafeBytes gives \(b.count) bytes, length says \(frame.length)")
            require(b.count >= 8, "frame of \(b.count) bytes")
            let length = Int(b[1])
            let header: Int
            switch b[0] {
            case 0xFE:
                header = 6
                require(frame.version == .v1, "0xFE frame reported as \(frame.version)")
                require(b.count == 8 + length, "v1 frame of \(b.count) bytes with payload length \(length)")
                require(frame.sequence == b[2] && frame.systemID == b[3] && frame.componentID == b[4], "v1 header fields")
                require(frame.messageID == UInt32(b[5]), "v1 message id")
                require(!frame.isSigned && frame.signature == nil && frame.incompatFlags == 0, "v1 frame signed")
            case 0xFD:
                header = 10
                require(frame.version == .v2, "0xFD frame reported as \(frame.version)")
                require(b[2] & ~0x01 == 0, "v2 frame delivered with incompat flags \(b[2])")
                let signed = b[2] & 0x01 != 0
                require(b.count == 12 + length + (signed ? 13 : 0), "v2 frame of \(b.count) bytes, length \(length), signed \(signed)")
                require(frame.sequence == b[4] && frame.systemID == b[5] && frame.componentID == b[6], "v2 header fields")
                require(frame.messageID == UInt32(b[7]) | UInt32(b[8]) << 8 | UInt32(b[9]) << 16, "v2 message id")
                require(frame.isSigned == signed && (frame.signature != nil) == signed, "signature presence")
                if let signature = frame.signature {
                    let s = header + length + 2
                    require(signature.linkID == b[s], "signature link id")
                    var timestamp: UInt64 = 0
                    for i in 0..<6 { timestamp |= UInt64(b[s + 1 + i]) << (8 * UInt64(i)) }
                    require(signature.timestamp == timestamp, "signature timestamp")
                    let sent = signature.signature
                    require(
                        sent.0 == b[s + 7] && sent.1 == b[s + 8] && sent.2 == b[s + 9] && sent.3 == b[s + 10]
                            && sent.4 == b[s + 11] && sent.5 == b[s + 12], "signature bytes")
                    if signing != .none {
                        let expected = SigningMode.signature(of: UnsafeRawBufferPointer(rebasing: b[0..<(b.count - 6)]))
                        require(expected == Array(b[(b.count - 6)...]), "frame delivered with a bad signature under a key")
                    }
                } else {
                    require(signing != .strict, "unsigned frame delivered under a strict signing policy")
                }
            default:
                require(false, "frame starts with \(b[0])")
                return nil
            }
            require(frame.headerLength == header, "header length")
            require(frame.payloadLength == length, "payload length")
            if deep {
                require(frame.payload == Array(b[header..<(header + length)]), "payload bytes")
                require(frame.bytes == Array(b), "frame bytes")
            }
            let sent = UInt16(b[header + length]) | UInt16(b[header + length + 1]) << 8
            require(frame.checksum == sent, "checksum accessor")

            var crc = CRC16MCRF4XX()
            crc.update(UnsafeRawBufferPointer(rebasing: b[1..<(header + length)]))
            guard let index = frame.messageIndex else {
                require(dialect.index(of: frame.messageID) == nil, "known id \(frame.messageID) delivered as unknown")
                require(
                    (0...255).contains { extra in
                        var c = crc
                        c.update(byte: UInt8(extra))
                        return c.value == sent
                    }, "unknown id \(frame.messageID) with a CRC no CRC_EXTRA reaches")
                if deep { require(MAVLinkMessage(frame: frame, dialect: dialect) == nil, "unknown id decoded") }
                return nil
            }
            require(index >= 0 && index < dialect.messages.count, "message index \(index) out of range")
            let info = dialect.messages[index]
            require(info.id == frame.messageID, "index \(index) is id \(info.id), frame says \(frame.messageID)")
            require(dialect.index(of: frame.messageID) == index, "index lookup")
            crc.update(byte: info.crcExtra)
            require(crc.value == sent, "\(info.name) delivered with a bad CRC")
            guard deep else { return nil }

            guard let message = MAVLinkMessage(frame: frame, dialect: dialect) else {
                require(false, "known id \(info.name) did not decode")
                return nil
            }
            let decoded = ReferenceDecoder.check(message, payload: UnsafeRawBufferPointer(rebasing: b[header..<(header + length)]))
            return decoded
        }
    }
}
