import FurrowWire

/// Builds MAVLink payloads field by field and turns them into batches through the real framer, the way
/// the daemon gets them (adapted from Tests/FurrowWireTests/FrameBuilder.swift, without signing).
struct TestPayload {
    let info: MAVLinkMessageInfo
    var bytes: [UInt8]

    init(_ name: String, dialect: MAVLinkDialect = .ardupilotmega) {
        guard let info = dialect.message(named: name) else { preconditionFailure("no message \(name)") }
        self.info = info
        bytes = [UInt8](repeating: 0, count: info.maxLength)
    }

    private func field(_ name: String) -> MAVLinkFieldInfo {
        guard let field = info.fields.first(where: { $0.name == name }) else { preconditionFailure("no field \(name)") }
        return field
    }

    mutating func set<T: FixedWidthInteger>(_ name: String, _ value: T, element: Int = 0) {
        let field = field(name)
        precondition(MemoryLayout<T>.size == field.type.size, "\(name) is \(field.type), not \(T.self)")
        let offset = field.offset + element * field.type.size
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { raw in
            for k in 0..<raw.count { bytes[offset + k] = raw[k] }
        }
    }

    mutating func set(_ name: String, float value: Float) { set(name, value.bitPattern) }
    mutating func set(_ name: String, double value: Double) { set(name, value.bitPattern) }

    mutating func set(_ name: String, text: String) {
        let field = field(name)
        let utf8 = Array(text.utf8.prefix(field.arrayLength))
        for k in 0..<field.arrayLength { bytes[field.offset + k] = k < utf8.count ? utf8[k] : 0 }
    }
}

enum TestFrames {
    static func crcStep(_ crc: UInt16, _ byte: UInt8) -> UInt16 {
        var t = byte ^ UInt8(crc & 0xFF)
        t ^= t << 4
        let t16 = UInt16(t)
        return (crc >> 8) ^ (t16 << 8) ^ (t16 << 3) ^ (t16 >> 4)
    }

    /// A MAVLink 2 frame (zero-truncated as senders do).
    static func v2(_ payload: TestPayload, sequence: UInt8, systemID: UInt8 = 1, componentID: UInt8 = 1) -> [UInt8] {
        var body = payload.bytes
        while body.count > 1 && body.last == 0 { body.removeLast() }
        let id = payload.info.id
        var frame: [UInt8] = [
            0xFD, UInt8(body.count), 0, 0, sequence, systemID, componentID, UInt8(id & 0xFF), UInt8((id >> 8) & 0xFF),
            UInt8(id >> 16),
        ]
        frame += body
        var crc = frame[1...].reduce(UInt16(0xFFFF), crcStep)
        crc = crcStep(crc, payload.info.crcExtra)
        frame += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
        return frame
    }

    /// One batch of `payloads` (all of one message) from sender 1/1, timestamps as given.
    static func batch(_ payloads: [TestPayload], timestamps: [Int64]) -> MAVLinkBatch {
        precondition(!payloads.isEmpty && payloads.count == timestamps.count)
        var bytes: [UInt8] = []
        for (k, payload) in payloads.enumerated() { bytes += v2(payload, sequence: UInt8(truncatingIfNeeded: k)) }
        var framer = MAVLinkFramer()
        var batch = MAVLinkBatch(
            source: MAVLinkSourceID(systemID: 1, componentID: 1), message: payloads[0].info,
            reservingCapacity: payloads.count)
        var k = 0
        framer.feed(bytes) { frame in
            batch.append(frame, timestamp: timestamps[k])
            k += 1
        }
        precondition(k == payloads.count, "framer returned \(k) of \(payloads.count) frames")
        return batch
    }
}

/// The repository root, from this file's path.
enum Repository {
    static let root: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/FurrowIngestTests/TestFrames.swift
        return parts.joined(separator: "/")
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }
}
