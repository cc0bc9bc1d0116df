import Testing
@testable import FurrowWire

@Suite("Modbus RTU framing")
struct ModbusTests {
    @Test("CRC-16/MODBUS check value of '123456789' is 0x4B37")
    func checkValue() {
        #expect(CRC16Modbus.checksum(Array("123456789".utf8)) == 0x4B37)
    }

    /// Frames from ../shared/agro-vectors/protocol_vectors.json (crcmod 'modbus'); five of them also appear in a
    /// public RS-485 soil-probe README (ES-SM-TH-01S), as noted there.
    @Test("published frames carry the expected CRC bytes", arguments: [
        "01 03 00 00 00 01 84 0A", "01 03 00 00 00 0A C5 CD", "01 03 00 12 00 01 24 0F",
        "01 03 01 00 00 01 85 F6", "01 03 01 00 00 02 C5 F7", "01 04 00 00 00 03 B0 0B",
        "01 03 02 00 01 79 84", "01 03 04 00 01 00 02 2A 32", "01 04 06 0A 5F 0C 1C 01 90 37 5E",
        "01 83 02 C0 F1",
    ])
    func publishedFrames(frame: String) {
        let bytes = hexBytes(frame)
        #expect(CRC16Modbus.appending(to: Array(bytes.dropLast(2))) == bytes)
        #expect(CRC16Modbus.isValid(frame: bytes))
        var corrupted = bytes
        corrupted[1] ^= 0x01
        #expect(!CRC16Modbus.isValid(frame: corrupted))
    }

    /// The worked examples of the Simply Modbus FC03/FC04/FC06/FC16 pages (slave 0x11); their CRCs also agree
    /// with pymodbus 3.16.1's `FramerRTU.compute_CRC`.
    @Test("Simply Modbus worked requests and responses")
    func simplyModbus() throws {
        let fc03 = ModbusRequest(slave: 0x11, function: .readHoldingRegisters(address: 0x006B, count: 3))
        #expect(try fc03.frame() == hexBytes("11 03 00 6B 00 03 76 87"))
        #expect(try ModbusResponse.parse(hexBytes("11 03 06 AE 41 56 52 43 40 49 AD"), for: fc03) == .registers([0xAE41, 0x5652, 0x4340]))
        let fc04 = ModbusRequest(slave: 0x11, function: .readInputRegisters(address: 0x0008, count: 1))
        #expect(try fc04.frame() == hexBytes("11 04 00 08 00 01 B2 98"))
        #expect(try ModbusResponse.parse(hexBytes("11 04 02 00 0A F8 F4"), for: fc04) == .registers([0x000A]))
        let fc06 = ModbusRequest(slave: 0x11, function: .writeSingleRegister(address: 0x0001, value: 0x0003))
        #expect(try fc06.frame() == hexBytes("11 06 00 01 00 03 9A 9B"))
        #expect(try ModbusResponse.parse(hexBytes("11 06 00 01 00 03 9A 9B"), for: fc06) == .wroteSingleRegister(address: 1, value: 3))
        let fc16 = ModbusRequest(slave: 0x11, function: .writeMultipleRegisters(address: 0x0001, values: [0x000A, 0x0102]))
        #expect(try fc16.frame() == hexBytes("11 10 00 01 00 02 04 00 0A 01 02 C6 F0"))
        #expect(try ModbusResponse.parse(hexBytes("11 10 00 01 00 02 12 98"), for: fc16) == .wroteMultipleRegisters(address: 1, count: 2))
    }

    @Test("requests for FC 03, 04, 06, 16")
    func requests() throws {
        #expect(try ModbusRequest(slave: 1, function: .readHoldingRegisters(address: 0, count: 1)).frame() == hexBytes("01 03 00 00 00 01 84 0A"))
        #expect(try ModbusRequest(slave: 1, function: .readInputRegisters(address: 0, count: 3)).frame() == hexBytes("01 04 00 00 00 03 B0 0B"))
        let write = try ModbusRequest(slave: 1, function: .writeSingleRegister(address: 0x0001, value: 0x0003)).frame()
        #expect(Array(write.prefix(6)) == hexBytes("01 06 00 01 00 03") && CRC16Modbus.isValid(frame: write))
        // Simply Modbus FC16 example: slave 0x11, registers 40002-40003 ← 0x000A, 0x0102.
        let multi = try ModbusRequest(slave: 0x11, function: .writeMultipleRegisters(address: 1, values: [0x000A, 0x0102])).frame()
        #expect(Array(multi.dropLast(2)) == hexBytes("11 10 00 01 00 02 04 00 0A 01 02"))
        #expect(CRC16Modbus.isValid(frame: multi))
    }

    @Test("invalid requests are refused with invalidRequest")
    func invalidRequests() {
        let bad: [ModbusRequest] = [
            ModbusRequest(slave: 248, function: .readHoldingRegisters(address: 0, count: 1)),
            ModbusRequest(slave: 0, function: .readHoldingRegisters(address: 0, count: 1)),
            ModbusRequest(slave: 1, function: .readHoldingRegisters(address: 0, count: 0)),
            ModbusRequest(slave: 1, function: .readInputRegisters(address: 0, count: 126)),
            ModbusRequest(slave: 1, function: .readInputRegisters(address: 0xFFFF, count: 2)),
            ModbusRequest(slave: 1, function: .writeMultipleRegisters(address: 0, values: [])),
        ]
        for request in bad {
            do throws(ModbusError) {
                _ = try request.frame()
                Issue.record("\(request) accepted")
            } catch {
                #expect(error.code == .invalidRequest)
            }
        }
        #expect((try? ModbusRequest(slave: 0, function: .writeSingleRegister(address: 0, value: 1)).frame()) != nil)
    }

    @Test("responses parse and are checked against the request")
    func responses() throws {
        let read3 = ModbusRequest(slave: 1, function: .readInputRegisters(address: 0, count: 3))
        #expect(try ModbusResponse.parse(hexBytes("01 04 06 0A 5F 0C 1C 01 90 37 5E"), for: read3) == .registers([0x0A5F, 0x0C1C, 0x0190]))
        let read2 = ModbusRequest(slave: 1, function: .readHoldingRegisters(address: 0x100, count: 2))
        #expect(try ModbusResponse.parse(hexBytes("01 03 04 00 01 00 02 2A 32"), for: read2) == .registers([1, 2]))

        func code(_ frame: [UInt8], _ request: ModbusRequest) -> ModbusError.Code? {
            do throws(ModbusError) {
                _ = try ModbusResponse.parse(frame, for: request)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code(hexBytes("01 03 04 00 01 00 02 2A 32"), read3) == .wrongFunction)
        #expect(code(hexBytes("01 03 02 00 01 79 84"), read2) == .byteCount)
        #expect(code(hexBytes("01 03 04 00 01 00 02 2A 33"), read2) == .crcMismatch)
        #expect(code(CRC16Modbus.appending(to: hexBytes("02 03 04 00 01 00 02")), read2) == .wrongSlave)
        #expect(code(hexBytes("01 03 04"), read2) == .truncated)

        let write = ModbusRequest(slave: 1, function: .writeSingleRegister(address: 1, value: 3))
        #expect(try ModbusResponse.parse(try write.frame(), for: write) == .wroteSingleRegister(address: 1, value: 3))
        #expect(code(CRC16Modbus.appending(to: hexBytes("01 06 00 01 00 04")), write) == .echoMismatch)
        let multi = ModbusRequest(slave: 0x11, function: .writeMultipleRegisters(address: 1, values: [0x000A, 0x0102]))
        #expect(try ModbusResponse.parse(CRC16Modbus.appending(to: hexBytes("11 10 00 01 00 02")), for: multi) == .wroteMultipleRegisters(address: 1, count: 2))
    }

    @Test("exception responses become typed errors", arguments: [
        (UInt8(1), ModbusExceptionCode.illegalFunction), (2, .illegalDataAddress), (3, .illegalDataValue),
        (4, .slaveDeviceFailure), (5, .acknowledge), (6, .slaveDeviceBusy), (0x0A, .gatewayPathUnavailable),
        (0x0B, .gatewayTargetFailedToRespond),
    ])
    func exceptions(raw: UInt8, expected: ModbusExceptionCode) {
        let request = ModbusRequest(slave: 1, function: .readHoldingRegisters(address: 0, count: 1))
        do throws(ModbusError) {
            _ = try ModbusResponse.parse(CRC16Modbus.appending(to: [1, 0x83, raw]), for: request)
            Issue.record("exception not thrown")
        } catch {
            #expect(error.code == .exception)
            #expect(error.exception == expected)
            #expect(error.description.contains(expected.description))
        }
    }

    @Test("the framer assembles a response from single bytes, skipping a leading glitch byte")
    func framer() throws {
        let request = ModbusRequest(slave: 1, function: .readInputRegisters(address: 0, count: 3))
        var framer = ModbusResponseFramer(request: request)
        let bytes = [0x00] + hexBytes("01 04 06 0A 5F 0C 1C 01 90 37 5E")
        var result: ModbusResponse?
        for (i, byte) in bytes.enumerated() {
            result = try framer.append([byte])
            #expect((result != nil) == (i == bytes.count - 1))
        }
        #expect(result == .registers([0x0A5F, 0x0C1C, 0x0190]))
        #expect(framer.skippedBytes == 1)

        var exception = ModbusResponseFramer(request: request)
        #expect(try exception.append([0x01, 0x84]) == nil)
        #expect(throws: ModbusError.self) { try exception.append(hexBytes("02 C2 C1") + [0xFF]) }

        var partial = ModbusResponseFramer(request: request)
        #expect(try partial.append(hexBytes("01 04 06 0A")) == nil)
        do throws(ModbusError) {
            try partial.silenceElapsed()
            Issue.record("silence inside a frame not reported")
        } catch {
            #expect(error.code == .truncated)
        }
    }

    @Test("silence: 3.5 and 1.5 character times, fixed above 19200 baud")
    func timing() {
        let t9600 = ModbusSerialTiming(baudRate: 9600)   // 11 bits per character
        #expect(t9600.characterTime == .nanoseconds(1_145_833))
        #expect(t9600.interFrameSilence == .nanoseconds(4_010_416))
        #expect(t9600.interCharacterTimeout == .nanoseconds(1_718_750))
        let n81 = ModbusSerialTiming(baudRate: 4800, bitsPerCharacter: 10)
        #expect(n81.interFrameSilence == .nanoseconds(7_291_666))
        let fast = ModbusSerialTiming(baudRate: 38_400)
        #expect(fast.interFrameSilence == .microseconds(1750))
        #expect(fast.interCharacterTimeout == .microseconds(750))
        #expect(ModbusSerialTiming(baudRate: 19_200).interFrameSilence == .nanoseconds(2_005_208))
    }
}

@Suite("Modbus register maps")
struct ModbusRegisterTests {
    @Test("40001 and 30001 numbering is 1-based; PDU addresses are 0-based")
    func documentationNumbers() throws {
        #expect(try ModbusRegisterAddress(documentation: "40001") == ModbusRegisterAddress(table: .holding, address: 0))
        #expect(try ModbusRegisterAddress(documentation: "30010") == ModbusRegisterAddress(table: .input, address: 9))
        #expect(try ModbusRegisterAddress(documentation: "465536") == ModbusRegisterAddress(table: .holding, address: 65535))
        #expect(try ModbusRegisterAddress(documentation: "40108").readRequest(slave: 1, count: 2) ==
            ModbusRequest(slave: 1, function: .readHoldingRegisters(address: 107, count: 2)))
        for bad in ["40000", "10001", "4001", "4000a", "", "465537"] {
            #expect(throws: ModbusError.self, "\(bad)") { try ModbusRegisterAddress(documentation: bad) }
        }
    }

    @Test("int16 / uint16 with scale and offset")
    func sixteenBit() throws {
        let registers: [UInt16] = [0xFF9C, 0x0271, 0x8000]
        #expect(try ModbusRegisterField(index: 0, type: .int16, scale: 0.1).value(from: registers) == -10.0)
        #expect(try ModbusRegisterField(index: 0, type: .uint16).value(from: registers) == 65436)
        #expect(try ModbusRegisterField(index: 1, type: .uint16, scale: 0.1, offset: -40).value(from: registers) == 62.5 - 40)
        #expect(try ModbusRegisterField(index: 2, type: .int16).value(from: registers) == -32768)
        #expect(throws: ModbusError.self) { try ModbusRegisterField(index: 3, type: .int16).value(from: registers) }
    }

    /// 123456.0 as IEEE-754 single is 0x47F12000 (bytes A=47 B=F1 C=20 D=00).
    @Test("32-bit values in the four word/byte orders", arguments: [
        (ModbusWordOrder.abcd, [UInt16(0x47F1), 0x2000]), (.cdab, [0x2000, 0x47F1]),
        (.badc, [0xF147, 0x0020]), (.dcba, [0x0020, 0xF147]),
    ])
    func thirtyTwoBit(order: ModbusWordOrder, registers: [UInt16]) throws {
        #expect(try ModbusRegisterField(index: 0, type: .float32, order: order).value(from: registers) == 123_456.0)
        #expect(try ModbusRegisterField(index: 0, type: .uint32, order: order).value(from: registers) == Double(0x47F1_2000))
        #expect(order.combine(registers[0], registers[1]) == 0x47F1_2000)
    }

    @Test("int32 negative values and scaling")
    func int32() throws {
        // -2 as int32 is 0xFFFFFFFE; CDAB sends the low word first.
        #expect(try ModbusRegisterField(index: 0, type: .int32, order: .cdab, scale: 0.5).value(from: [0xFFFE, 0xFFFF]) == -1)
        #expect(try ModbusRegisterField(index: 1, type: .int32).value(from: [0, 0x8000, 0x0000]) == -2_147_483_648)
        #expect(throws: ModbusError.self) { try ModbusRegisterField(index: 1, type: .float32).value(from: [0, 0]) }
    }
}
