import FurrowStore
import FurrowWire
import Testing

@testable import FurrowIngest

/// The pollers' protocol logic against in-process fakes: the simulators answer what the recorder, the
/// master and the network server ask, with no tty or socket in between.
@Suite("Sensor pollers against simulated devices")
struct SensorPollerTests {
    static let soil = SimulatedSoil(start: 1_750_000_000)

    /// Drives an SDI-12 measurement session with a simulated sensor's answers.
    static func measure(_ sensor: inout SDI12SensorSimulator, kind: SDI12MeasurementSession.Kind) throws -> (SDI12Measurement, [String]) {
        let address = try SDI12Address(ascii: sensor.address)
        var session = SDI12MeasurementSession(address: address, kind: kind)
        var sent: [String] = []
        var actions = session.start()
        for _ in 0..<40 {
            var next: [SDI12MeasurementSession.Action] = []
            for action in actions {
                switch action {
                case .send(let command):
                    let snapshot = sensor
                    for response in sensor.respond(to: try command.bytes(), measure: {
                        let values = snapshot.values(at: soil.start + 3600, soil: soil)
                        sent = values
                        return values
                    }) {
                        next += session.receive(response.bytes)
                    }
                case .completed(let measurement): return (measurement, sent)
                case .failed(let error): throw error
                case .setTimer, .cancelTimer: break
                }
            }
            actions = next.isEmpty ? session.timerFired() : next
        }
        throw SDI12Error(code: .timeout, text: "", reason: "the session did not finish")
    }

    @Test("SDI-12 aMC!: a TEROS 12 answers with CRC, the service request ends the wait, D0 carries all values")
    func teros12() throws {
        var sensor = SDI12SensorSimulator(address: UInt8(ascii: "0"), model: .teros12, seconds: 1)
        let (measurement, sent) = try Self.measure(&sensor, kind: .measure(index: 0, crc: true))
        #expect(measurement.reply.count == 3)
        #expect(measurement.values.map(\.value) == sent.map { Double($0)! })
        #expect(measurement.retries == 0)
    }

    @Test("SDI-12 aC!: a profile probe's 12 values are collected from D0 and D1")
    func profileProbe() throws {
        var sensor = SDI12SensorSimulator(address: UInt8(ascii: "3"), model: .profile, seconds: 2)
        let (measurement, sent) = try Self.measure(&sensor, kind: .concurrent(index: 0, crc: false))
        #expect(measurement.values.count == 12)
        #expect(measurement.values.map(\.value) == sent.map { Double($0)! })
        #expect(SDI12SensorSimulator.split(sent, limit: 35).count >= 2)
    }

    @Test("Modbus: the master's requests framed against a simulated slave; exceptions come back typed")
    func modbusSlave() throws {
        var slave = ModbusSlaveSimulator(unit: 1, model: .soil)
        let request = ModbusRequest(slave: 1, function: .readHoldingRegisters(address: 0, count: 7))
        let answer = try #require(slave.respond(to: try request.frame(), at: Self.soil.start, soil: Self.soil))
        var framer = ModbusResponseFramer(request: request)
        guard case .registers(let registers)? = try framer.append([0x00] + answer) else {
            Issue.record("no registers")
            return
        }
        let profile = try #require(try DeviceProfile(contentsOf: Repository.path("Hardware/profiles/rs485-soil-7in1.toml")).sensor)
        let vwc = try ModbusRegisterField(index: 0, type: .uint16, scale: 0.1).value(from: registers)
        #expect(abs(vwc - 100 * Self.soil.moisture(at: Self.soil.start, depth: 20)) < 0.06)
        #expect(profile.modbus?.blocks.first?.count == 7)

        let past = ModbusRequest(slave: 1, function: .readHoldingRegisters(address: 5, count: 5))
        let exception = try #require(slave.respond(to: try past.frame(), at: Self.soil.start, soil: Self.soil))
        var pastFramer = ModbusResponseFramer(request: past)
        let error = #expect(throws: ModbusError.self) { _ = try pastFramer.append(exception) }
        #expect(error?.exception == ModbusExceptionCode(rawValue: 2))
        #expect(ModbusPoller.kind(of: try #require(error)) == .exception)

        let write = ModbusRequest(slave: 1, function: .writeSingleRegister(address: 0, value: 999))
        #expect(slave.respond(to: try write.frame(), at: 0, soil: Self.soil) == (try write.frame()))
        #expect(slave.registers(table: .holding, at: 0, soil: Self.soil).first == 999)
        #expect(slave.respond(to: try ModbusRequest(slave: 2, function: .readHoldingRegisters(address: 0, count: 1)).frame(), at: 0, soil: Self.soil) == nil)
    }

    static func lorawanLink(window: Duration = .milliseconds(100)) throws -> DaemonConfiguration {
        let text = """
            [[lorawan]]
            name = "lora"
            listen = "127.0.0.1:0"
            dedup_window_ms = \(window.components.seconds * 1000 + window.components.attoseconds / 1_000_000_000_000_000)
            [[lorawan.devices]]
            dev_eui = "70B3D57ED0001001"
            dev_addr = "26011001"
            nwk_s_key = "2B7E151628AED2A6ABF7158809CF4F3C"
            app_s_key = "000102030405060708090A0B0C0D0E0F"
            profile = "dragino-lse01"
            """
        return try DaemonConfiguration(parsing: text, file: "l.toml")
    }

    @Test("LoRaWAN: MIC, decryption, de-duplication across gateways, rollover, replays, unknown DevAddr, bad JSON")
    func lorawanNetwork() throws {
        let configuration = try Self.lorawanLink()
        let profile = try #require(try DeviceProfile(contentsOf: Repository.path("Hardware/profiles/dragino-lse01.toml")).sensor)
        var network = LoRaWANNetwork(link: configuration.lorawan[0], profiles: ["dragino-lse01": profile], wallAtZero: 1_000_000)
        let devices = try LoRaGatewaySimulator.defaultDevices(count: 1)
        let gatewayA = LoRaGatewaySimulator(gateway: LoRaWANEUI(1), devices: devices, soil: Self.soil)
        let gatewayB = LoRaGatewaySimulator(gateway: LoRaWANEUI(2), devices: devices, soil: Self.soil)
        var now = Duration.zero
        var stored: [LoRaWANNetwork.Row] = []
        var problems: [SensorMetrics.Kind] = []
        func deliver(_ datagram: [UInt8]) {
            let (ack, rows, found) = network.receive(datagram, now: now, wall: 2_000_000)
            #expect(ack != nil || datagram.count < 12)
            stored += rows
            problems += found.map(\.kind)
        }
        func drain() {
            now += .milliseconds(150)
            let (rows, found) = network.drain(now: now)
            stored += rows.filter { $0.group == "reading" }
            problems += found.map(\.kind)
        }
        for counter: UInt32 in [65_534, 65_535, 65_536] {
            let time = Self.soil.start + Double(counter)
            deliver(try gatewayA.pushData(device: devices[0], counter: counter, time: time, token: 1, withStat: counter == 65_534))
            deliver(try gatewayB.pushData(device: devices[0], counter: counter, time: time, token: 2, withStat: false))
            drain()
        }
        let readings = stored.filter { $0.group == "reading" }
        #expect(readings.count == 3)
        let fcnt = try #require(readings.first?.channels.firstIndex { $0.name == "fcnt" })
        let gateways = try #require(readings.first?.channels.firstIndex { $0.name == "gateways" })
        #expect(readings.map { $0.values[fcnt] } == [65_534, 65_535, 65_536])
        #expect(readings.allSatisfy { $0.values[gateways] == 2 })
        #expect(stored.contains { $0.group == "stat" && $0.source == "lorawan-gw-0000000000000001" })

        now += .seconds(2)
        deliver(try gatewayA.pushData(device: devices[0], counter: 65_535, time: 0, token: 3, withStat: false))
        drain()
        let stranger = LoRaGatewaySimulator.Device(
            devEUI: LoRaWANEUI(9), builder: LoRaWANUplinkBuilder(devAddr: 0x0102_0304, nwkSKey: devices[0].builder.nwkSKey, appSKey: devices[0].builder.appSKey),
            depth: 10)
        deliver(try gatewayA.pushData(device: stranger, counter: 1, time: 0, token: 4, withStat: false))
        deliver([2, 0, 5, 0] + [UInt8](repeating: 0xAA, count: 8) + Array("{\"rxpk\":[".utf8))
        drain()
        #expect(problems == [.replay, .unknownDevAddr, .badJSON])
        #expect(stored.filter { $0.group == "reading" }.count == 3)
    }
}

@Suite("Simulated soil")
struct SimulatedSoilTests {
    let soil = SimulatedSoil(start: 1_750_000_000)

    @Test("irrigation wets the soil at once near the surface and later at depth; it dries down in between")
    func moisture() {
        let hour = 3600.0
        let beforeNext = soil.moisture(at: soil.start + 35.9 * hour, depth: 10)
        let afterNext = soil.moisture(at: soil.start + 36.7 * hour, depth: 10)
        #expect(afterNext - beforeNext > 0.1)
        let deepBefore = soil.moisture(at: soil.start + 36.2 * hour, depth: 60)
        let deepAfter = soil.moisture(at: soil.start + 40 * hour, depth: 60)
        #expect(deepAfter > deepBefore + 0.05, "the wetting front reaches 60 cm hours later")
        let samples = stride(from: 1.0, to: 35, by: 1).map { soil.moisture(at: soil.start + $0 * hour, depth: 10) }
        #expect(samples.allSatisfy { (0.17...0.35).contains($0) })
        #expect(samples.last! < samples.first! - 0.1)
        #expect(soil.isIrrigating(at: soil.start + 0.5 * hour) && !soil.isIrrigating(at: soil.start + 2 * hour))
    }

    @Test("temperature follows the sun, damped with depth")
    func temperature() {
        let day = (0..<24).map { soil.start + Double($0) * 3600 }
        func range(_ depth: Double) -> Double {
            let t = day.map { soil.temperature(at: $0, depth: depth) }
            return t.max()! - t.min()!
        }
        #expect(range(5) > 8 && range(60) < 1)
    }
}

@Suite("SDI-12 echo filter")
struct SDI12EchoFilterTests {
    @Test("an echoed command is removed, whole or in pieces; an answer that starts like the command is kept")
    func echo() {
        var filter = SDI12EchoFilter()
        filter.expect(Array("0M!".utf8))
        #expect(filter.filter(Array("0M".utf8)) == [])
        #expect(filter.filter(Array("!00013\r\n".utf8)) == Array("00013\r\n".utf8))
        filter.expect(Array("0D0!".utf8))
        #expect(filter.filter(Array("0+1.5\r\n".utf8)) == Array("0+1.5\r\n".utf8))
        #expect(filter.filter(Array("0\r\n".utf8)) == Array("0\r\n".utf8), "after a mismatch nothing more is dropped")
    }
}
