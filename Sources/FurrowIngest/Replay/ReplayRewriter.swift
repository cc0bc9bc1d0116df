import FurrowWire

/// Applies a `ReplayRewrite` to a replay's records one after another (see there for what changes).
///
/// Records are scanned for CRC-valid frames with the framer's own check; a frame cut at the end of a record
/// (a serial read) is held back and sent with the record that completes it. Nothing read from the wire is
/// trusted: a length is only used once `examine` has checked the frame's CRC against those bytes.
public struct ReplayRewriter: Sendable {
    public let rewrite: ReplayRewrite
    let dialect: MAVLinkDialect
    let checker: MAVLinkFrameChecker
    /// Per message index: payload offsets of the `uint64` Unix-time fields `timestampsNow` shifts.
    let timeFields: [[Int]]
    /// Bytes of a frame that may continue in the next record (at most one frame's worth).
    var carry: [UInt8] = []

    /// The longest MAVLink frame: 10 header + 255 payload + 2 CRC + 13 signature bytes.
    static let maximumFrame = 280
    /// Times at or above this (µs) are taken for Unix times (2001-09-09T01:46:40Z).
    static let unixThreshold: UInt64 = 1_000_000_000_000_000

    public init(rewrite: ReplayRewrite, dialect: MAVLinkDialect = .ardupilotmega) {
        self.rewrite = rewrite
        self.dialect = dialect
        self.checker = MAVLinkFramer(dialect: dialect).checker
        self.timeFields = dialect.messages.map { info in
            info.fields.filter { field in
                field.arrayLength == 0 && field.type == .uint64
                    && (field.name == "time_unix_usec" || field.name == "time_usec")
            }.map(\.offset)
        }
    }

    /// The bytes to send for `bytes` (one archived receive), received at `receivedAt` and sent at `now`
    /// (both µs since the epoch); empty when nothing of it is left.
    public mutating func apply(_ bytes: [UInt8], receivedAt: Int64, now: Int64) -> [UInt8] {
        let input: [UInt8]
        if carry.isEmpty {
            input = bytes
        } else {
            input = carry + bytes
            carry.removeAll(keepingCapacity: true)
        }
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        let shift = rewrite.timestampsNow ? now &- receivedAt : 0
        input.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            var i = 0
            var noiseStart = 0
            func noise(upTo end: Int) {
                if !rewrite.filters && noiseStart < end {
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[noiseStart..<end]))
                }
            }
            while i < count {
                let byte = buffer[i]
                guard byte == 0xFD || byte == 0xFE else {
                    i += 1
                    continue
                }
                switch checker.examine(base + i, available: count - i) {
                case .frame(let length, let messageIndex):
                    noise(upTo: i)
                    emit(UnsafeRawBufferPointer(rebasing: buffer[i..<(i + length)]), messageIndex: messageIndex,
                         shift: shift, into: &out)
                    i += length
                    noiseStart = i
                case .unknown(let length):
                    switch checker.judgeUnknown(base + i, length: length, available: count - i, final: false) {
                    case .accept:
                        noise(upTo: i)
                        let frame = UnsafeRawBufferPointer(rebasing: buffer[i..<(i + length)])
                        if rewrite.sends(Self.messageID(frame), known: false) { out.append(contentsOf: frame) }
                        i += length
                        noiseStart = i
                    case .reject:
                        i += 1
                    case .wait:
                        if count - i < Self.maximumFrame * 2 {
                            noise(upTo: i)
                            carry = Array(buffer[i...])
                            return
                        }
                        i += 1
                    }
                case .incomplete:
                    if count - i < Self.maximumFrame {
                        noise(upTo: i)
                        carry = Array(buffer[i...])
                        return
                    }
                    i += 1
                default:
                    i += 1
                }
            }
            noise(upTo: count)
        }
        return out
    }

    /// Bytes still held back at the end of the source (the start of a frame that never completed): sent as
    /// they are unless a filter is on.
    public mutating func finish() -> [UInt8] {
        defer { carry.removeAll() }
        return rewrite.filters ? [] : carry
    }

    /// Appends `frame` (CRC-checked, of message `messageIndex`) as the rewrite wants it, or nothing.
    func emit(_ frame: UnsafeRawBufferPointer, messageIndex: Int, shift: Int64, into out: inout [UInt8]) {
        let info = dialect.messages[messageIndex]
        guard rewrite.sends(info.id, known: true) else { return }
        let times = shift != 0 ? timeFields[messageIndex] : []
        guard rewrite.systemID != nil || !times.isEmpty else {
            out.append(contentsOf: frame)
            return
        }
        let isV1 = frame[0] == 0xFE
        let header = isV1 ? 6 : 10
        let sentLength = Int(frame[1])
        // The payload zero-extended to the message's full length, as MAVLink 2 receivers read it.
        var payload = [UInt8](repeating: 0, count: Swift.max(info.maxLength, sentLength))
        for k in 0..<sentLength { payload[k] = frame[header + k] }
        var length = sentLength
        var changed = false
        for offset in times where offset + 8 <= payload.count && (!isV1 || offset + 8 <= sentLength) {
            var value: UInt64 = 0
            for k in 0..<8 { value |= UInt64(payload[offset + k]) << (8 * UInt64(k)) }
            guard value >= Self.unixThreshold else { continue }
            let shifted = shift >= 0 ? value &+ UInt64(shift) : value &- UInt64(-shift)
            for k in 0..<8 { payload[offset + k] = UInt8(truncatingIfNeeded: shifted >> (8 * UInt64(k))) }
            length = Swift.max(length, offset + 8)
            changed = true
        }
        guard changed || rewrite.systemID != nil else {
            out.append(contentsOf: frame)  // no Unix time in it: the frame (and its signature) stay as they are
            return
        }
        if changed && !isV1 {
            // Trim what was extended back to the zero-truncated form, never below the length as sent.
            while length > sentLength && payload[length - 1] == 0 { length -= 1 }
        }
        let start = out.count
        out.append(contentsOf: frame[0..<header])
        out[start + 1] = UInt8(length)
        if let systemID = rewrite.systemID { out[start + (isV1 ? 3 : 5)] = systemID }
        if !isV1 { out[start + 2] &= ~0x01 }  // the signature is dropped below
        out.append(contentsOf: payload[0..<length])
        var crc = CRC16MCRF4XX()
        out.withUnsafeBytes { crc.update(UnsafeRawBufferPointer(rebasing: $0[(start + 1)...])) }
        crc.update(byte: info.crcExtra)
        out.append(UInt8(truncatingIfNeeded: crc.value))
        out.append(UInt8(truncatingIfNeeded: crc.value >> 8))
    }

    /// The message id in a structurally complete frame's header.
    static func messageID(_ frame: UnsafeRawBufferPointer) -> UInt32 {
        if frame[0] == 0xFE { return UInt32(frame[5]) }
        return UInt32(frame[7]) | UInt32(frame[8]) << 8 | UInt32(frame[9]) << 16
    }
}
