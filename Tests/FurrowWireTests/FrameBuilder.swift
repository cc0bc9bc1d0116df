import Crypto
import FurrowWire

/// Builds MAVLink frames for tests the way the specification says senders do (independent of the framer).
struct FrameBuilder {
    var dialect = MAVLinkDialect.ardupilotmega
    var sequence: UInt8 = 0
    var systemID: UInt8 = 1
    var componentID: UInt8 = 1

    /// A v2 frame for message `name` with `payload` (zero-truncated as senders do unless `truncate` is false).
    mutating func v2(_ name: String, payload: [UInt8], truncate: Bool = true, incompat: UInt8 = 0,
                     signing: (key: [UInt8], link: UInt8, timestamp: UInt64)? = nil, crcExtra: UInt8? = nil,
                     id: UInt32? = nil) -> [UInt8] {
        let info = dialect.message(named: name)
        let messageID = id ?? info!.id
        var body = payload
        if truncate { while body.count > 1 && body.last == 0 { body.removeLast() } }
        var frame: [UInt8] = [0xFD, UInt8(body.count), incompat | (signing == nil ? 0 : 1), 0, sequence, systemID, componentID,
                              UInt8(messageID & 0xFF), UInt8((messageID >> 8) & 0xFF), UInt8(messageID >> 16)]
        frame += body
        var crc = Reference.crc(Array(frame[1...]))
        crc = Reference.crcStep(crc, crcExtra ?? info?.crcExtra ?? 0)
        frame += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
        if let signing {
            frame.append(signing.link)
            for i in 0..<6 { frame.append(UInt8((signing.timestamp >> (8 * UInt64(i))) & 0xFF)) }
            var hasher = SHA256()
            hasher.update(data: signing.key)
            hasher.update(data: frame)
            frame += Array(hasher.finalize().prefix(6))
        }
        sequence &+= 1
        return frame
    }

    /// A v1 frame for message `name` with `payload` (never truncated).
    mutating func v1(_ name: String, payload: [UInt8]) -> [UInt8] {
        let info = dialect.message(named: name)!
        var frame: [UInt8] = [0xFE, UInt8(payload.count), sequence, systemID, componentID, UInt8(info.id)]
        frame += payload
        let crc = Reference.crcStep(Reference.crc(Array(frame[1...])), info.crcExtra)
        frame += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
        sequence &+= 1
        return frame
    }
}

/// Byte-at-a-time reference implementations from the MAVLink C headers (`checksum.h`).
enum Reference {
    static func crcStep(_ crc: UInt16, _ byte: UInt8) -> UInt16 {
        var t = byte ^ UInt8(crc & 0xFF)
        t ^= t << 4
        let t16 = UInt16(t)
        return (crc >> 8) ^ (t16 << 8) ^ (t16 << 3) ^ (t16 >> 4)
    }

    static func crc(_ bytes: [UInt8], initial: UInt16 = 0xFFFF) -> UInt16 {
        bytes.reduce(initial, crcStep)
    }
}

/// A seeded generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension MAVLinkFramer {
    /// Feeds `bytes` in chunks of `chunk` bytes, finishes, and returns copies of the frames.
    mutating func frames(in bytes: [UInt8], chunk: Int = .max) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            let end = Swift.min(bytes.count, i + Swift.max(chunk, 1))
            feed(Array(bytes[i..<end])) { out.append($0.bytes) }
            i = end
        }
        finish { out.append($0.bytes) }
        return out
    }
}
