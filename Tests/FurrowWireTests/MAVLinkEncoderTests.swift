import Testing
@testable import FurrowWire

@Suite("MAVLink encoder")
struct MAVLinkEncoderTests {
    static let dialect = MAVLinkDialect.ardupilotmega

    // MARK: - Random values

    /// A random value for `field` that survives a round trip (text has no NUL: the decoder stops there).
    static func randomValue(_ field: MAVLinkFieldInfo, using rng: inout SplitMix64) -> MAVLinkValue {
        func integer() -> MAVLinkValue {
            let r = rng.next()
            switch field.type {
            case .char, .uint8: return .unsigned(r & 0xFF)
            case .uint16: return .unsigned(r & 0xFFFF)
            case .uint32: return .unsigned(r & 0xFFFF_FFFF)
            case .uint64: return .unsigned(r)
            case .int8: return .signed(Int64(Int8(truncatingIfNeeded: r)))
            case .int16: return .signed(Int64(Int16(truncatingIfNeeded: r)))
            case .int32: return .signed(Int64(Int32(truncatingIfNeeded: r)))
            case .int64: return .signed(Int64(bitPattern: r))
            case .float, .double: fatalError("not an integer type")
            }
        }
        /// Mostly ordinary numbers, sometimes special bit patterns (NaN with payloads, infinities, -0).
        func float() -> Float {
            let r = rng.next()
            switch r % 8 {
            case 0: return Float(bitPattern: UInt32(truncatingIfNeeded: r >> 8))
            case 1: return Float(bitPattern: 0x7FC0_0000 | UInt32(truncatingIfNeeded: r >> 20) & 0x3F_FFFF)  // quiet NaN, payload
            case 2: return [Float.infinity, -.infinity, -0.0, .leastNonzeroMagnitude][Int(r >> 8) % 4]
            default: return Float(Int32(truncatingIfNeeded: r >> 16)) / 1024
            }
        }
        func double() -> Double {
            let r = rng.next()
            switch r % 8 {
            case 0: return Double(bitPattern: rng.next())
            case 1: return Double(bitPattern: 0x7FF8_0000_0000_0000 | (r >> 16))  // quiet NaN, payload
            case 2: return -0.0
            default: return Double(Int64(bitPattern: r)) / 1e9
            }
        }
        if field.arrayLength == 0 {
            switch field.type {
            case .float: return .float(float())
            case .double: return .double(double())
            default: return integer()
            }
        }
        let n = field.arrayLength
        switch field.type {
        case .char:
            let length = Int(rng.next() % UInt64(n + 1))
            return .text((0..<length).map { _ in UInt8(1 + rng.next() % 255) })
        case .float: return .floatArray((0..<n).map { _ in float() })
        case .double: return .doubleArray((0..<n).map { _ in double() })
        case .int8, .int16, .int32, .int64:
            return .signedArray((0..<n).map { _ in
                guard case .signed(let v) = integer() else { fatalError() }
                return v
            })
        default:
            return .unsignedArray((0..<n).map { _ in
                guard case .unsigned(let v) = integer() else { fatalError() }
                return v
            })
        }
    }

    /// Random values, with about a third of the fields left zero so that truncation has work to do.
    static func randomMessage(_ info: MAVLinkMessageInfo, using rng: inout SplitMix64) -> MAVLinkMessage {
        let zeroTail = rng.next() % 3 == 0
        let values = info.fields.enumerated().map { i, field in
            (zeroTail && i >= info.fields.count / 2) || rng.next() % 3 == 0
                ? MAVLinkValue.zero(for: field) : randomValue(field, using: &rng)
        }
        return MAVLinkMessage(info: info, values: values)
    }

    /// A value with floats replaced by their bit patterns, so NaN == NaN (with the same payload) and -0 != 0.
    enum Bits: Hashable {
        case value(MAVLinkValue)
        case floats([UInt32])
        case doubles([UInt64])
    }

    static func bits(_ v: MAVLinkValue) -> Bits {
        switch v {
        case .float(let f): .floats([f.bitPattern])
        case .double(let d): .doubles([d.bitPattern])
        case .floatArray(let a): .floats(a.map(\.bitPattern))
        case .doubleArray(let a): .doubles(a.map(\.bitPattern))
        default: .value(v)
        }
    }

    static func bits(_ m: MAVLinkMessage) -> [Bits] { m.values.map(bits) }

    /// The message as a MAVLink 1 receiver sees it: extension fields zero.
    static func withoutExtensions(_ m: MAVLinkMessage) -> MAVLinkMessage {
        MAVLinkMessage(
            info: m.info,
            values: zip(m.info.fields, m.values).map { field, value in field.isExtension ? .zero(for: field) : value })
    }

    /// The full payload, serialized independently of the encoder (little-endian, field after field).
    static func payload(_ m: MAVLinkMessage) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: m.info.maxLength)
        func put<T: FixedWidthInteger>(_ v: T, _ at: Int) {
            for k in 0..<MemoryLayout<T>.size { out[at + k] = UInt8(truncatingIfNeeded: v >> (8 * k)) }
        }
        func putInteger(_ type: MAVLinkFieldType, _ bits: UInt64, _ at: Int) {
            for k in 0..<type.size { out[at + k] = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k))) }
        }
        for (field, value) in zip(m.info.fields, m.values) {
            let size = field.type.size
            switch value {
            case .signed(let v): putInteger(field.type, UInt64(bitPattern: v), field.offset)
            case .unsigned(let v): putInteger(field.type, v, field.offset)
            case .float(let v): put(v.bitPattern, field.offset)
            case .double(let v): put(v.bitPattern, field.offset)
            case .text(let t): for (i, b) in t.enumerated() { out[field.offset + i] = b }
            case .signedArray(let a):
                for (i, v) in a.enumerated() { putInteger(field.type, UInt64(bitPattern: v), field.offset + i * size) }
            case .unsignedArray(let a): for (i, v) in a.enumerated() { putInteger(field.type, v, field.offset + i * size) }
            case .floatArray(let a): for (i, v) in a.enumerated() { put(v.bitPattern, field.offset + i * 4) }
            case .doubleArray(let a): for (i, v) in a.enumerated() { put(v.bitPattern, field.offset + i * 8) }
            }
        }
        return out
    }

    // MARK: - Round trips

    @Test("every message of the dialect round-trips bit for bit through the framer and decoder", arguments: [MAVLinkVersion.v2, .v1])
    func roundTripEveryMessage(version: MAVLinkVersion) throws {
        var rng = SplitMix64(seed: version == .v2 ? 2 : 1)
        var encoder = MAVLinkEncoder(version: version, systemID: 42, componentID: 190)
        var stream: [UInt8] = []
        var sent: [MAVLinkMessage] = []
        for info in Self.dialect.messages where version == .v2 || info.id <= 0xFF {
            for _ in 0..<8 {
                let message = Self.randomMessage(info, using: &rng)
                try encoder.encode(message, into: &stream)
                sent.append(version == .v1 ? Self.withoutExtensions(message) : message)
            }
        }
        #expect(sent.count > 1000)
        var framer = MAVLinkFramer()
        var received: [MAVLinkMessage] = []
        var sequences: [UInt8] = []
        stream.withUnsafeBytes { bytes in
            framer.feed(bytes) { frame in
                #expect(frame.version == version)
                #expect(frame.systemID == 42 && frame.componentID == 190)
                sequences.append(frame.sequence)
                if let message = MAVLinkMessage(frame: frame, dialect: Self.dialect) { received.append(message) }
            }
        }
        let stats = framer.statistics
        #expect(stats.crcFailures == 0)
        #expect(stats.bytesSkipped == 0)
        #expect(stats.sequenceGaps == 0)
        #expect(received.count == sent.count)
        #expect(sequences == (0..<sent.count).map { UInt8(truncatingIfNeeded: $0) })
        var mismatches = 0
        for (a, b) in zip(sent, received) where a.info.id != b.info.id || Self.bits(a) != Self.bits(b) {
            mismatches += 1
            if mismatches <= 5 { Issue.record("\(a.info.name): sent \(a.values), received \(b.values)") }
        }
        #expect(mismatches == 0)
    }

    @Test("frames are byte-identical to the specification's reference construction", arguments: [MAVLinkVersion.v2, .v1])
    func matchesReferenceBuilder(version: MAVLinkVersion) throws {
        var rng = SplitMix64(seed: 7)
        var encoder = MAVLinkEncoder(version: version, systemID: 3, componentID: 1)
        var builder = FrameBuilder(systemID: 3, componentID: 1)
        var truncated = 0
        for info in Self.dialect.messages where version == .v2 || info.id <= 0xFF {
            for _ in 0..<4 {
                let message = Self.randomMessage(info, using: &rng)
                let frame = try encoder.encode(message)
                let full = Self.payload(message)
                let expected = version == .v2
                    ? builder.v2(info.name, payload: full)
                    : builder.v1(info.name, payload: Array(full[..<info.minLength]))
                #expect(frame == expected, "\(info.name)")
                if version == .v2 && Int(frame[1]) < info.maxLength { truncated += 1 }
            }
        }
        if version == .v2 { #expect(truncated > 100) }
    }

    @Test("MAVLink 2 trailing zeros are truncated, keeping at least one byte; MAVLink 1 never truncates")
    func truncation() throws {
        let info = try #require(Self.dialect.message(named: "ATTITUDE"))
        var v2 = MAVLinkEncoder(systemID: 1, componentID: 1)
        var v1 = MAVLinkEncoder(version: .v1, systemID: 1, componentID: 1)
        let zero = MAVLinkMessage(info: info, values: info.fields.map(MAVLinkValue.zero(for:)))
        let empty = try v2.encode(zero)
        #expect(empty[1] == 1)
        #expect(empty.count == 10 + 1 + 2)
        #expect(try v1.encode(zero)[1] == UInt8(info.minLength))
        // time_boot_ms (offset 0) only: 4 bytes of payload survive, then just its low byte.
        let early = try MAVLinkMessage(named: "ATTITUDE", fields: ["time_boot_ms": .unsigned(0x0102_0304)])
        #expect(try v2.encode(early)[1] == 4)
        let low = try MAVLinkMessage(named: "ATTITUDE", fields: ["time_boot_ms": .unsigned(0x04)])
        #expect(try v2.encode(low)[1] == 1)
        // A zero in the middle is kept: only trailing zeros go.
        let yaw = try MAVLinkMessage(named: "ATTITUDE", fields: ["yaw": .float(1)])
        let yawField = try #require(info.fields.first { $0.name == "yaw" })
        #expect(try v2.encode(yaw)[1] == UInt8(yawField.offset + 4))
    }

    @Test("the sequence number increments per frame and wraps after 255")
    func sequenceWraps() throws {
        var encoder = MAVLinkEncoder(systemID: 1, componentID: 1, sequence: 250)
        let message = try MAVLinkMessage(named: "HEARTBEAT", fields: ["type": .unsigned(2)])
        let sequences = try (0..<10).map { _ in try encoder.encode(message)[4] }
        #expect(sequences == [250, 251, 252, 253, 254, 255, 0, 1, 2, 3])
    }

    @Test("the writer path gives the same frames as the value path")
    func writerMatchesValues() throws {
        let info = try #require(Self.dialect.message(named: "GLOBAL_POSITION_INT"))
        let lat = try #require(info.slot(named: "lat")), hdg = try #require(info.slot(named: "hdg"))
        var a = MAVLinkEncoder(systemID: 9, componentID: 1)
        var b = a
        var fast: [UInt8] = []
        try a.encode(info, into: &fast) { payload in
            payload.set(lat, 416_500_000)
            payload.set(hdg, 70_000)  // clamped to UInt16.max
        }
        let slow = try b.encode(
            MAVLinkMessage(named: "GLOBAL_POSITION_INT", fields: ["lat": .signed(416_500_000), "hdg": .unsigned(65535)]))
        #expect(fast == slow)
    }

    // MARK: - Errors

    @Test("values that do not fit their field throw typed errors and append nothing")
    func errors() throws {
        var encoder = MAVLinkEncoder(systemID: 1, componentID: 1)
        var buffer: [UInt8] = [1, 2, 3]
        func code(_ name: String, _ fields: KeyValuePairs<String, MAVLinkValue>) -> MAVLinkEncodingError.Code? {
            do {
                try encoder.encode(MAVLinkMessage(named: name, fields: fields), into: &buffer)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code("HEARTBEAT", ["type": .float(1)]) == .wrongType)
        #expect(code("HEARTBEAT", ["type": .unsigned(256)]) == .outOfRange)
        #expect(code("HEARTBEAT", ["type": .signed(-1)]) == .outOfRange)
        #expect(code("GLOBAL_POSITION_INT", ["lat": .unsigned(UInt64(Int32.max) + 1)]) == .outOfRange)
        #expect(code("ATTITUDE", ["roll": .double(1)]) == .wrongType)
        #expect(code("STATUSTEXT", ["text": .text(Array(repeating: 65, count: 51))]) == .tooLong)
        #expect(code("STATUSTEXT", ["text": .unsigned(1)]) == .wrongType)
        #expect(code("BATTERY_STATUS", ["voltages": .unsignedArray(Array(repeating: 1, count: 11))]) == .tooLong)
        #expect(code("BATTERY_STATUS", ["voltages": .floatArray([1])]) == .wrongType)
        #expect(code("HEARTBEAT", ["no_such_field": .unsigned(1)]) == .unknownField)
        #expect(code("NO_SUCH_MESSAGE", [:]) == .unknownMessage)
        #expect(buffer == [1, 2, 3])
        #expect(encoder.sequence == 0)

        let info = try #require(Self.dialect.message(named: "HEARTBEAT"))
        #expect(throws: MAVLinkEncodingError.self) { try encoder.encode(MAVLinkMessage(info: info, values: [])) }
        let big = try #require(Self.dialect.messages.first { $0.id > 0xFF })
        var v1 = MAVLinkEncoder(version: .v1, systemID: 1, componentID: 1)
        let zero = MAVLinkMessage(info: big, values: big.fields.map(MAVLinkValue.zero(for:)))
        #expect(throws: MAVLinkEncodingError(code: .idNeedsV2, message: big.name, reason: "message id \(big.id) does not fit a MAVLink 1 frame")) {
            try v1.encode(zero, into: &buffer)
        }
        #expect(buffer == [1, 2, 3])
    }

    // MARK: - Throughput (printed, not asserted)

    @Test("writer-path throughput")
    func throughput() throws {
        let info = try #require(Self.dialect.message(named: "ATTITUDE"))
        let slots = ["time_boot_ms", "roll", "pitch", "yaw", "rollspeed", "pitchspeed", "yawspeed"].compactMap { info.slot(named: $0) }
        var encoder = MAVLinkEncoder(systemID: 1, componentID: 1)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64 << 20)
        let n = 200_000
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for i in 0..<n {
                try encoder.encode(info, into: &buffer) { p in
                    p.set(slots[0], i)
                    for k in 1..<7 { p.set(slots[k], Double(i &* k) * 0.001) }
                }
            }
        }
        var framer = MAVLinkFramer()
        var frames = 0
        framer.feed(buffer) { _ in frames += 1 }
        #expect(frames == n)
        let seconds = Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
        print("MAVLinkEncoder writer path: \(Int(Double(n) / seconds)) ATTITUDE frames/s (debug builds are much slower)")
    }
}
