import Testing
@testable import FurrowWire

@Suite("MAVLink framer")
struct FramerTests {
    static let attitude: [UInt8] = (0..<28).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 1) }

    /// A realistic mixed stream: v1 and v2 frames, truncated payloads, several senders.
    static func stream(seed: UInt64, frames: Int) -> (bytes: [UInt8], frames: [[UInt8]]) {
        var rng = SplitMix64(seed: seed)
        var builders = [FrameBuilder(), FrameBuilder(systemID: 2, componentID: 1), FrameBuilder(systemID: 1, componentID: 190)]
        let names = ["HEARTBEAT", "ATTITUDE", "GLOBAL_POSITION_INT", "SYS_STATUS", "STATUSTEXT", "BATTERY_STATUS", "RC_CHANNELS"]
        var bytes: [UInt8] = []
        var out: [[UInt8]] = []
        for _ in 0..<frames {
            let name = names[Int.random(in: 0..<names.count, using: &rng)]
            let info = MAVLinkDialect.ardupilotmega.message(named: name)!
            let b = Int.random(in: 0..<builders.count, using: &rng)
            let zeros = Int.random(in: 0...info.maxLength, using: &rng)
            let payload = (0..<info.maxLength).map { i in i >= info.maxLength - zeros ? 0 : UInt8.random(in: 0...255, using: &rng) }
            let frame = Int.random(in: 0..<10, using: &rng) == 0
                ? builders[b].v1(name, payload: Array(payload[..<info.minLength]))
                : builders[b].v2(name, payload: payload)
            bytes += frame
            out.append(frame)
        }
        return (bytes, out)
    }

    @Test("chunks of any size give the same frames", arguments: [1, 2, 3, 7, 13, 64, 279, 281, 1000, 4096, Int.max])
    func chunking(chunk: Int) {
        let (bytes, expected) = Self.stream(seed: 1, frames: 600)
        var framer = MAVLinkFramer()
        #expect(framer.frames(in: bytes, chunk: chunk) == expected)
        let stats = framer.statistics
        #expect(stats.frames == expected.count)
        #expect(stats.bytes == bytes.count)
        #expect(stats.bytesSkipped == 0)
        #expect(stats.crcFailures == 0)
    }

    @Test("a false start byte with a long claimed length does not swallow the frames behind it")
    func falseStartByte() {
        var builder = FrameBuilder()
        let good = (0..<5).map { _ in builder.v2("ATTITUDE", payload: Self.attitude) }
        // 0xFD, length 200: the C parser would consume the next 200+ bytes and lose every frame above.
        let noise: [UInt8] = [0x55, 0xFD, 200, 0, 0, 1, 1, 30, 0, 0, 0xFE, 255]
        let bytes = noise + good.joined()
        for chunk in [1, 5, 100, Int.max] {
            var framer = MAVLinkFramer()
            #expect(framer.frames(in: bytes, chunk: chunk) == good, "chunk \(chunk)")
            #expect(framer.statistics.bytesSkipped == noise.count)
        }
    }

    @Test("a corrupted frame is counted and the next good frame is kept")
    func bitFlip() {
        var builder = FrameBuilder()
        var first = builder.v2("ATTITUDE", payload: Self.attitude)
        let second = builder.v2("ATTITUDE", payload: Self.attitude)
        first[15] ^= 0x10
        var framer = MAVLinkFramer()
        #expect(framer.frames(in: first + second) == [second])
        #expect(framer.statistics.crcFailures >= 1)
        #expect(framer.statistics.bytesSkipped == first.count)
    }

    @Test("v2 zero-truncated payloads decode with the missing bytes as zero; extensions default to zero")
    func truncation() throws {
        var builder = FrameBuilder()
        let info = try #require(MAVLinkDialect.ardupilotmega.message(named: "SYS_STATUS"))
        var payload = [UInt8](repeating: 0, count: info.maxLength)
        payload[0] = 0x2A  // onboard_control_sensors_present = 42, everything else zero
        let frame = builder.v2("SYS_STATUS", payload: payload)
        #expect(frame.count == 12 + 1)
        var framer = MAVLinkFramer()
        var decoded: [MAVLinkMessage] = []
        framer.feed(frame) { decoded.append(MAVLinkMessage(frame: $0, dialect: .ardupilotmega)!) }
        let message = try #require(decoded.first)
        #expect(message["onboard_control_sensors_present"] == .unsigned(42))
        #expect(message["battery_remaining"] == .signed(0))
        #expect(message["onboard_control_sensors_health_extended"] == .unsigned(0))
        #expect(framer.statistics.truncatedPayloads == 1)
    }

    @Test("unknown incompatibility flags are rejected and counted")
    func incompatFlags() {
        var builder = FrameBuilder()
        let bad = builder.v2("ATTITUDE", payload: Self.attitude, incompat: 0x02)
        let good = builder.v2("ATTITUDE", payload: Self.attitude)
        var framer = MAVLinkFramer()
        #expect(framer.frames(in: bad + good) == [good])
        #expect(framer.statistics.incompatRejected == 1)
    }

    @Test("an id the dialect lacks passes through as a raw frame when the stream resyncs after it")
    func unknownID() {
        var builder = FrameBuilder()
        let unknown = builder.v2("ATTITUDE", payload: [1, 2, 3, 4], crcExtra: 0, id: 0xABCDE)
        let good = builder.v2("ATTITUDE", payload: Self.attitude)
        var framer = MAVLinkFramer()
        var ids: [UInt32] = []
        framer.feed(unknown + good) { ids.append($0.messageID) }
        framer.finish { ids.append($0.messageID) }
        #expect(ids == [0xABCDE, 30])
        #expect(framer.statistics.unknownIDs == 1)
    }

    @Test("an unknown-id candidate that would swallow a good frame is noise")
    func unknownDoesNotSwallow() {
        var builder = FrameBuilder()
        let good = builder.v2("ATTITUDE", payload: Self.attitude)
        // A false header claiming an unknown id and exactly the length that ends at the next start byte.
        let claimed = 3 + good.count
        let noise: [UInt8] = [0xFD, UInt8(claimed - 12), 0, 0, 0, 1, 1, 0xEE, 0xEE, 0x0E, 9, 9, 9]
        let tail = builder.v2("ATTITUDE", payload: Self.attitude)
        var framer = MAVLinkFramer()
        let frames = framer.frames(in: noise + good + tail)
        #expect(frames.contains(good))
        #expect(frames.contains(tail))
    }

    @Test("sequence gaps are counted per sender")
    func sequenceGaps() {
        var a = FrameBuilder()
        var b = FrameBuilder(systemID: 9, componentID: 9)
        var bytes = a.v2("HEARTBEAT", payload: [1, 2, 3, 4, 5, 6, 7, 8, 3])
        bytes += b.v2("HEARTBEAT", payload: [1, 2, 3, 4, 5, 6, 7, 8, 3])
        a.sequence &+= 4  // four frames lost
        bytes += a.v2("HEARTBEAT", payload: [1, 2, 3, 4, 5, 6, 7, 8, 3])
        bytes += b.v2("HEARTBEAT", payload: [1, 2, 3, 4, 5, 6, 7, 8, 3])
        var framer = MAVLinkFramer()
        _ = framer.frames(in: bytes)
        let stats = framer.statistics
        #expect(stats.sources[MAVLinkSourceID(systemID: 1, componentID: 1)]?.framesLost == 4)
        #expect(stats.sources[MAVLinkSourceID(systemID: 1, componentID: 1)]?.sequenceGaps == 1)
        #expect(stats.sources[MAVLinkSourceID(systemID: 9, componentID: 9)]?.sequenceGaps == 0)
    }

    @Test("random bytes never crash, and every byte is accounted for", arguments: 0..<20)
    func noise(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let (good, _) = Self.stream(seed: UInt64(seed) + 100, frames: 50)
        var bytes = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        // Make start bytes frequent so every path of the candidate check runs.
        for i in stride(from: 0, to: bytes.count, by: 7) { bytes[i] = Bool.random(using: &rng) ? 0xFD : 0xFE }
        bytes.insert(contentsOf: good, at: 2500)
        var framer = MAVLinkFramer()
        var total = 0
        let frames = framer.frames(in: bytes, chunk: Int.random(in: 1...600, using: &rng))
        total = frames.reduce(0) { $0 + $1.count }
        let stats = framer.statistics
        #expect(stats.bytes == bytes.count)
        #expect(total + stats.bytesSkipped == bytes.count)
        #expect(framer.pendingByteCount == 0)
    }
}

@Suite("MAVLink 2 signing")
struct SigningTests {
    static let key: [UInt8] = (0..<32).map { UInt8($0 * 7 + 3) }

    @Test("good signatures verify; tampered, replayed and unsigned frames are rejected and counted")
    func verify() throws {
        var builder = FrameBuilder()
        let payload = FramerTests.attitude
        let first = builder.v2("ATTITUDE", payload: payload, signing: (Self.key, 0, 1000))
        let second = builder.v2("ATTITUDE", payload: payload, signing: (Self.key, 0, 1001))
        let replay = first
        var tampered = builder.v2("ATTITUDE", payload: payload, signing: (Self.key, 0, 1002))
        tampered[tampered.count - 1] ^= 1
        let wrongKey = builder.v2("ATTITUDE", payload: payload, signing: ([UInt8](repeating: 1, count: 32), 0, 1003))
        let unsigned = builder.v2("ATTITUDE", payload: payload)
        let otherLink = builder.v2("ATTITUDE", payload: payload, signing: (Self.key, 1, 5))

        var framer = MAVLinkFramer(signing: try MAVLinkSigningPolicy(key: Self.key))
        let frames = framer.frames(in: first + second + replay + tampered + wrongKey + unsigned + otherLink)
        #expect(frames == [first, second, otherLink])
        let s = framer.statistics
        #expect(s.signaturesVerified == 3)
        #expect(s.replayedSignatures == 1)
        #expect(s.badSignatures == 2)
        #expect(s.unsignedRejected == 1)

        var lenient = MAVLinkFramer(signing: try MAVLinkSigningPolicy(key: Self.key, allowUnsigned: true))
        #expect(lenient.frames(in: first + unsigned) == [first, unsigned])

        var noKey = MAVLinkFramer()
        #expect(noKey.frames(in: first + tampered).count == 2)
        #expect(noKey.statistics.signedFrames == 2)
    }

    @Test("the signature block is parsed")
    func block() throws {
        var builder = FrameBuilder()
        let frame = builder.v2("ATTITUDE", payload: FramerTests.attitude, signing: (Self.key, 3, 0x0102_0304_0506))
        var framer = MAVLinkFramer()
        var signature: MAVLinkSignature?
        framer.feed(frame) { signature = $0.signature }
        #expect(signature?.linkID == 3)
        #expect(signature?.timestamp == 0x0102_0304_0506)
    }

    @Test("keys must be 32 bytes or 64 hex digits")
    func keys() {
        #expect(throws: MAVLinkSigningError.badKeyLength(3)) { try MAVLinkSigningPolicy(key: [1, 2, 3]) }
        #expect(throws: MAVLinkSigningError.badHexKey) { try MAVLinkSigningPolicy(hexKey: "zz") }
        #expect((try? MAVLinkSigningPolicy(hexKey: String(repeating: "ab", count: 32)))?.key.first == 0xAB)
    }
}

@Suite("Columnar batches")
struct BatchTests {
    @Test("columns hold the same values as per-message decoding")
    func columnsMatchMessages() throws {
        let (bytes, _) = FramerTests.stream(seed: 5, frames: 400)
        var framer = MAVLinkFramer()
        var batcher = MAVLinkBatcher(rowsPerBatch: 32)
        var messages: [MAVLinkSourceID: [UInt32: [MAVLinkMessage]]] = [:]
        var batches: [MAVLinkBatch] = []
        var t: Int64 = 0
        framer.feed(bytes) { frame in
            let m = MAVLinkMessage(frame: frame, dialect: .ardupilotmega)!
            messages[MAVLinkSourceID(systemID: frame.systemID, componentID: frame.componentID), default: [:]][frame.messageID, default: []].append(m)
            t += 1
            batcher.append(frame, timestamp: t) { batches.append($0) }
        }
        batcher.flush { batches.append($0) }
        var seen: [MAVLinkSourceID: [UInt32: Int]] = [:]
        for batch in batches {
            let columns = batch.columns
            let start = seen[batch.source, default: [:]][batch.message.id, default: 0]
            for row in 0..<batch.count {
                let expected = messages[batch.source]![batch.message.id]![start + row]
                #expect(batch.message(at: row) == expected)
                for (i, column) in columns.enumerated() {
                    let n = column.field.count
                    let value = expected.values[i]
                    switch (column.values, value) {
                    case (.float(let c), .float(let v)): #expect(c[row].bitPattern == v.bitPattern)
                    case (.float(let c), .floatArray(let v)): #expect(Array(c[(row * n)..<(row * n + n)]).map(\.bitPattern) == v.map(\.bitPattern))
                    case (.uint32(let c), .unsigned(let v)): #expect(UInt64(c[row]) == v)
                    case (.int32(let c), .signed(let v)): #expect(Int64(c[row]) == v)
                    case (.uint16(let c), .unsigned(let v)): #expect(UInt64(c[row]) == v)
                    case (.int16(let c), .signed(let v)): #expect(Int64(c[row]) == v)
                    case (.uint16(let c), .unsignedArray(let v)): #expect(Array(c[(row * n)..<(row * n + n)]).map { UInt64($0) } == v)
                    case (.uint8(let c), .unsigned(let v)): #expect(UInt64(c[row]) == v)
                    case (.int8(let c), .signed(let v)): #expect(Int64(c[row]) == v)
                    case (.text(let c), .text): #expect(c[row] == value.text)
                    default: break
                    }
                }
            }
            seen[batch.source, default: [:]][batch.message.id, default: 0] += batch.count
        }
        #expect(batches.reduce(0) { $0 + $1.count } == framer.statistics.frames)
    }
}
