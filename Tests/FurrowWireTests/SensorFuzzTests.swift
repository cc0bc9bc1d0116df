import Foundation
import Testing
@testable import FurrowWire

/// Never-crash tests: random bytes, truncations and single-byte mutations of valid inputs into every
/// sensor-side parser. A crash fails the run; each parser must either return or throw its typed error.
@Suite("Sensor parsers never crash")
struct SensorFuzzTests {
    static let iterations = 4000

    /// Valid inputs the mutations start from.
    static let seeds: [[UInt8]] = [
        line("0+3.14OqZ"), line("013CAMPBELLCS451 1.0SN12345"), line("00013"), line("012012"),
        hexBytes("01 04 06 0A 5F 0C 1C 01 90 37 5E"), hexBytes("01 83 02 C0 F1"), hexBytes("01 06 00 01 00 03 98 0B"),
        hexBytes("40F17DBE4900020001954378762B11FF0D"), hexBytes("0039363463336913AA05693574323831330489C65B1304"),
        hexBytes("2088f36ae3b21314bc284e314e99257328"), hexBytes("01 88 06 76 5F F2 96 0A 00 03 E8"),
        hexBytes("0CF400E30C350898018500"), hexBytes("CBF60B0D0376010ADD7FFF"),
        [2, 1, 2, 0] + [UInt8](repeating: 0xAA, count: 8) + Array(#"{"rxpk":[{"tmst":1,"freq":868.1,"stat":1,"modu":"LORA","datr":"SF7BW125","rssi":-75,"lsnr":2,"size":1,"data":"AA=="}]}"#.utf8),
    ]

    static let requests: [ModbusRequest] = [
        ModbusRequest(slave: 1, function: .readInputRegisters(address: 0, count: 3)),
        ModbusRequest(slave: 1, function: .readHoldingRegisters(address: 0, count: 1)),
        ModbusRequest(slave: 1, function: .writeSingleRegister(address: 1, value: 3)),
        ModbusRequest(slave: 0x11, function: .writeMultipleRegisters(address: 1, values: [1, 2])),
    ]

    /// Runs every parser on `bytes`; results are discarded, only crashes matter.
    static func feed(_ bytes: [UInt8], _ rng: inout SplitMix64) {
        let a = try? SDI12Address("0")
        _ = try? SDI12Identification.parse(bytes, expecting: a)
        _ = try? SDI12MeasurementReply.parse(bytes, form: .single)
        _ = try? SDI12MeasurementReply.parse(bytes, form: .concurrent, expecting: a)
        _ = try? SDI12DataResponse.parse(bytes, crc: true)
        _ = try? SDI12DataResponse.parse(bytes, crc: false, expecting: a)
        _ = try? SDI12ServiceRequest.parse(bytes)
        _ = SDI12CRC.decode(bytes.prefix(3))
        for request in requests {
            _ = try? ModbusResponse.parse(bytes, for: request)
            var framer = ModbusResponseFramer(request: request)
            var rest = bytes[...]
            while !rest.isEmpty {
                let n = Int.random(in: 1...max(1, rest.count), using: &rng)
                do {
                    _ = try framer.append(rest.prefix(n))
                } catch {
                    break
                }
                rest = rest.dropFirst(n)
            }
            try? framer.silenceElapsed()
        }
        if bytes.count >= 2 {
            let registers = stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            for type in ModbusValueType.allCases {
                for order in ModbusWordOrder.allCases {
                    _ = try? ModbusRegisterField(index: Int(bytes[0] % 4), type: type, order: order, scale: 0.1).value(from: registers)
                }
            }
        }
        if let packet = try? SemtechPacket.parse(bytes) {
            _ = packet.encoded()
            switch packet.body {
            case .pushData(_, let json): _ = try? SemtechPushData.decode(json: json)
            case .txAck(_, let json): _ = try? SemtechTxAcknowledgement.decode(json: json)
            default: break
            }
        }
        _ = try? SemtechPushData.decode(json: bytes)
        if let frame = try? LoRaWANFrame.parse(bytes) {
            switch frame {
            case .data(let data):
                _ = try? data.decryptPayload(key: Self.key, counter: UInt32(data.fCnt))
                _ = try? data.open(nwkSKey: Self.key, appSKey: Self.key, lastCounter: 0xFFFE)
            case .joinRequest(let request):
                _ = try? request.verifyMIC(appKey: Self.key)
            case .joinAccept(let raw):
                _ = try? LoRaWANJoinAccept.decrypt(raw, appKey: Self.key)
            case .other:
                break
            }
        }
        _ = try? CayenneLPP.decode(bytes)
        _ = try? DraginoLSE01.decode(bytes)
        _ = try? DraginoLHT65.decode(bytes)
    }

    static let key: LoRaWANKey = {
        do { return try LoRaWANKey(hex: "44024241ed4ce9a68c6a8bc055233fd3") } catch { preconditionFailure("test key") }
    }()

    @Test("random bytes of length 0…64 into every parser", .timeLimit(.minutes(2)))
    func randomBytes() {
        var rng = SplitMix64(seed: 0x5EED)
        let start = ContinuousClock.now
        for _ in 0..<Self.iterations {
            let length = Int.random(in: 0...64, using: &rng)
            // Half the inputs from a small alphabet so SDI-12 text parsers see plausible characters.
            let alphabet = Array("0123456789+-.aAzZ\r\n!?MCDRI".utf8)
            let bytes: [UInt8] = Bool.random(using: &rng)
                ? (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                : (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            Self.feed(bytes, &rng)
        }
        #expect(ContinuousClock.now - start < .seconds(60))
    }

    @Test("every truncation and random single-byte mutations of valid inputs", .timeLimit(.minutes(2)))
    func mutations() {
        var rng = SplitMix64(seed: 42)
        for seed in Self.seeds {
            for cut in 0...seed.count {
                Self.feed(Array(seed.prefix(cut)), &rng)
                Self.feed(Array(seed.suffix(cut)), &rng)
            }
            for _ in 0..<(Self.iterations / Self.seeds.count) {
                var mutated = seed
                let flips = Int.random(in: 1...3, using: &rng)
                for _ in 0..<flips where !mutated.isEmpty {
                    mutated[Int.random(in: 0..<mutated.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                Self.feed(mutated, &rng)
            }
        }
    }

    @Test("the measurement session survives random bytes and timer expiries, and always finishes", .timeLimit(.minutes(2)))
    func sessionChaos() throws {
        var rng = SplitMix64(seed: 7)
        let address = try SDI12Address("0")
        let chunks = [line("00013"), line("0"), line("0+1.0+2.0"), line("0+1.0+2.0+3"), line("1+1"), line("001002"),
                      [0x00, 0xFF, 0x0D], line("0+3.14OqZ")]
        for i in 0..<Self.iterations {
            let kinds: [SDI12MeasurementSession.Kind] = [.measure(), .measure(index: 2, crc: true), .concurrent(), .verify]
            var session = SDI12MeasurementSession(address: address, kind: kinds[i % kinds.count], configuration: .init(retries: 2))
            var steps = 0
            _ = session.start()
            while !session.isFinished && steps < 200 {
                steps += 1
                if Int.random(in: 0..<4, using: &rng) == 0 {
                    _ = session.timerFired()
                } else if Bool.random(using: &rng) {
                    _ = session.receive(chunks[Int.random(in: 0..<chunks.count, using: &rng)])
                } else {
                    _ = session.receive((0..<Int.random(in: 0...20, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
                }
            }
            // Timers alone must end any session: each state either retries a bounded number of times or moves on.
            var timers = 0
            while !session.isFinished && timers < 100 {
                _ = session.timerFired()
                timers += 1
            }
            #expect(session.isFinished)
        }
    }
}

@Suite("Sensor codecs: round trips")
struct SensorRoundTripTests {
    @Test("random SDI-12 values with CRC format and parse back exactly")
    func sdi12RoundTrip() throws {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<2000 {
            var text = "0"
            var expected: [(Int64, Int)] = []
            for _ in 0..<Int.random(in: 0...9, using: &rng) {
                let digits = Int.random(in: 1...7, using: &rng)
                let mantissa = Int64.random(in: 0..<Int64(pow(10, Double(digits))), using: &rng)
                let decimals = Int.random(in: 0...digits, using: &rng)
                var s = String(mantissa)
                s = String(repeating: "0", count: max(0, digits - s.count)) + s
                if decimals > 0 { s.insert(".", at: s.index(s.endIndex, offsetBy: -decimals)) }
                let negative = Bool.random(using: &rng)
                text += (negative ? "-" : "+") + s
                expected.append((negative ? -mantissa : mantissa, decimals))
            }
            let body = SDI12CRC.appending(to: Array(text.utf8))
            let response = try SDI12DataResponse.parse(body + [0x0D, 0x0A], crc: true)
            #expect(response.values.count == expected.count)
            for (value, (mantissa, decimals)) in zip(response.values, expected) {
                #expect(value.decimals == decimals)
                #expect(value.value == Double(mantissa) / pow(10, Double(decimals)), "\(text)")
            }
        }
    }

    @Test("random register blocks through the framer in random pieces")
    func modbusRoundTrip() throws {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<2000 {
            let count = Int.random(in: 1...125, using: &rng)
            let slave = UInt8.random(in: 1...247, using: &rng)
            let registers = (0..<count).map { _ in UInt16.random(in: 0...0xFFFF, using: &rng) }
            let request = ModbusRequest(slave: slave, function: .readHoldingRegisters(address: 0, count: count))
            var frame: [UInt8] = [slave, 3, UInt8(2 * count)]
            for r in registers { frame += [UInt8(r >> 8), UInt8(truncatingIfNeeded: r)] }
            frame = CRC16Modbus.appending(to: frame)
            var framer = ModbusResponseFramer(request: request)
            var rest = frame[...]
            var result: ModbusResponse?
            while !rest.isEmpty {
                let n = Int.random(in: 1...rest.count, using: &rng)
                if let r = try framer.append(rest.prefix(n)) { result = r }
                rest = rest.dropFirst(n)
            }
            #expect(result == .registers(registers))
        }
    }
}
