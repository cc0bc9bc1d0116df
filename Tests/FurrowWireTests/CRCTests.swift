import Testing
@testable import FurrowWire

@Suite("CRC-16/MCRF4XX")
struct CRCTests {
    @Test("check value of '123456789' is 0x6F91 (the catalogued CRC-16/MCRF4XX check)")
    func checkValue() {
        #expect(CRC16MCRF4XX.checksum(Array("123456789".utf8)) == 0x6F91)
    }

    @Test("slicing-by-16 equals the byte-at-a-time reference for every length 0...300")
    func slicingMatchesReference() {
        var rng = SplitMix64(seed: 7)
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(CRC16MCRF4XX.checksum(bytes) == Reference.crc(bytes), "length \(length)")
            var split = CRC16MCRF4XX()
            let cut = length / 3
            split.update(Array(bytes[..<cut]))
            split.update(Array(bytes[cut...]))
            #expect(split.value == Reference.crc(bytes))
        }
    }
}

@Suite("Generated message tables")
struct DialectTests {
    /// CRC_EXTRA as mavgen computes it (`mavparse.message_checksum`), from our own table's fields.
    static func crcExtra(_ message: MAVLinkMessageInfo) -> UInt8 {
        var crc: UInt16 = 0xFFFF
        func add(_ s: String) { for b in s.utf8 { crc = Reference.crcStep(crc, b) } }
        add(message.name + " ")
        for field in message.fields where !field.isExtension {
            add(field.type.cName + " ")
            add(field.name + " ")
            if field.arrayLength > 0 { crc = Reference.crcStep(crc, UInt8(field.arrayLength)) }
        }
        return UInt8(crc & 0xFF) ^ UInt8(crc >> 8)
    }

    @Test("every message's CRC_EXTRA recomputes from its field list")
    func crcExtraMatchesFields() {
        for message in MAVLinkDialect.ardupilotmega.messages {
            #expect(Self.crcExtra(message) == message.crcExtra, "\(message.name)")
        }
    }

    @Test("known anchors: HEARTBEAT 50, ATTITUDE 39, NAMED_VALUE_FLOAT 170; 301 messages")
    func anchors() throws {
        let d = MAVLinkDialect.ardupilotmega
        #expect(d.messages.count == 301)
        #expect(try #require(d.message(named: "HEARTBEAT")).crcExtra == 50)
        #expect(try #require(d.message(named: "ATTITUDE")).crcExtra == 39)
        #expect(try #require(d.message(named: "NAMED_VALUE_FLOAT")).crcExtra == 170)
    }

    @Test("fields are in wire order: sorted by element size, extensions last; lengths add up")
    func wireOrder() {
        for message in MAVLinkDialect.ardupilotmega.messages {
            var offset = 0
            var lastSize = Int.max
            for field in message.fields {
                #expect(field.offset == offset, "\(message.name).\(field.name)")
                if !field.isExtension {
                    #expect(field.type.size <= lastSize, "\(message.name).\(field.name)")
                    lastSize = field.type.size
                }
                offset += field.wireSize
            }
            #expect(offset == message.maxLength, "\(message.name)")
            let base = message.fields.filter { !$0.isExtension }.reduce(0) { $0 + $1.wireSize }
            #expect(base == message.minLength, "\(message.name)")
        }
    }
}

@Suite("SIMD start-byte scan")
struct StartByteScannerTests {
    @Test("finds the same first start byte as a naive scan, at every offset and length")
    func matchesNaive() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<2000 {
            let length = Int.random(in: 0...100, using: &rng)
            let density = Int.random(in: 1...300, using: &rng)
            let bytes: [UInt8] = (0..<length).map { _ in
                Int.random(in: 0..<density, using: &rng) == 0 ? [0xFD, 0xFE][Int.random(in: 0...1, using: &rng)]
                    : UInt8.random(in: 0...0xFC, using: &rng) | (Bool.random(using: &rng) ? 0 : 0) }
            let from = length == 0 ? 0 : Int.random(in: 0...length, using: &rng)
            let naive = bytes[from...].firstIndex { $0 == 0xFD || $0 == 0xFE } ?? length
            let found = bytes.withUnsafeBytes { StartByteScanner.firstStartByte(in: $0.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, from: from, to: length) }
            #expect(found == naive)
        }
    }

    @Test("0xFF and 0xFC are not start bytes")
    func neighbours() {
        let bytes: [UInt8] = Array(repeating: 0xFF, count: 40) + Array(repeating: 0xFC, count: 40) + [0xFE]
        #expect(StartByteScanner.firstStartByte(in: bytes) == 80)
    }
}

@Suite("CRC over a frame plus CRC_EXTRA")
struct FrameChecksumTests {
    @Test("equals the byte-wise reference with the extra byte appended, for every length 0...300 and offset")
    func frameChecksum() {
        var rng = SplitMix64(seed: 9)
        for length in 0...300 {
            for offset in [0, 1, 7, 20] {
                // As in a frame: bytes before (header or other frames), the checked bytes, then the CRC byte.
                let buffer = (0..<(offset + length + 2)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let checked = Array(buffer[offset..<(offset + length)])
                let extra = UInt8.random(in: 0...255, using: &rng)
                let got = buffer.withUnsafeBytes { CRC16MCRF4XX.frameChecksum($0.baseAddress! + offset, length, extra: extra) }
                #expect(got == Reference.crc(checked + [extra]), "length \(length) offset \(offset)")
            }
        }
    }
}

@Suite("Unknown-id CRC plausibility")
struct SomeExtraTests {
    @Test("true for exactly the 256 sent values some extra byte produces")
    func exactlyTheReachableValues() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<20 {
            let crc = UInt16.random(in: 0...UInt16.max, using: &rng)
            let reachable = Set((0...255).map { Reference.crcStep(crc, UInt8($0)) })
            #expect(reachable.count == 256)
            var hits = 0
            for sent in 0...0xFFFF where CRC16MCRF4XX.someExtraMatches(crc, sent: UInt16(sent)) {
                #expect(reachable.contains(UInt16(sent)))
                hits += 1
            }
            #expect(hits == 256)
        }
    }
}
