import ArgumentParser
import Foundation
import FurrowIngest
import FurrowWire

/// `furrow simulate sensors`: SDI-12 sensors and Modbus slaves on pseudo-terminals, and a LoRa gateway
/// sending encrypted uplinks over UDP, all reading one simulated field.
struct SimulateSensorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensors",
        abstract: "Simulate irrigation sensors: SDI-12 and Modbus on pseudo-terminals, a LoRa gateway over UDP.",
        discussion: """
            The soil is irrigated every 36 simulated hours and dries down in between with a daily rhythm; \
            temperatures follow the sun, damped with depth. Simulated time runs --speed times real time. \
            Standard output is JSON lines: {"event":"pty",...} with each pseudo-terminal's path (point a \
            [[sdi12]] or [[modbus]] bus's `device` at it), then one {"event":"sdi12"|"modbus"|"lorawan",...} \
            per answered measurement with the exact values sent. LoRaWAN devices use the sessions of \
            Hardware/furrow.example.toml (DevAddr 26011001…, fixed test keys).
            """
    )

    @Option(help: "SDI-12 sensors on a new pty: address:model pairs, model teros12 or profile (e.g. 0:teros12,1:profile).")
    var sdi12: String?

    @Option(help: "Modbus slaves on a new pty: unit:model pairs, model soil or flow (e.g. 1:soil,2:flow).")
    var modbus: String?

    @Option(help: "Send LoRaWAN PUSH_DATA to this HOST:PORT (a [[lorawan]] link's listen address).")
    var lorawan: String?

    @Option(name: .customLong("corrupt-every"), help: "Damage the CRC of every n-th Modbus answer and SDI-12 data response with CRC (0: never).")
    var corruptEvery = 0

    @Option(name: .customLong("lorawan-devices"), help: "Number of simulated Dragino LSE01 devices.")
    var lorawanDevices = 2

    @Option(name: .customLong("uplink-interval"), help: "Real seconds between one device's uplinks.")
    var uplinkInterval = 2.0

    @Option(name: .customLong("sdi12-seconds"), help: "Seconds an SDI-12 measurement takes (ttt of the reply).")
    var sdi12Seconds = 1

    @Option(help: "Simulated seconds per real second.")
    var speed = 60.0

    @Option(help: "Real seconds to run (default: until interrupted).")
    var duration: Double?

    @Option(name: .customLong("start-time"), help: "Simulated start, seconds since the Unix epoch (default: now).")
    var startTime: Double?

    func run() async throws {
        let soil = SimulatedSoil(start: startTime ?? Date().timeIntervalSince1970)
        let speed = self.speed
        var sdi12Bus: SDI12BusSimulator?
        if let sdi12 {
            let sensors = try Self.pairs(sdi12, option: "--sdi12").map { address, model -> SDI12SensorSimulator in
                guard address.count == 1, let ascii = address.first?.asciiValue, SDI12Address.isValid(ascii),
                    let model = SDI12SensorSimulator.Model(rawValue: model)
                else { throw ValidationError("--sdi12: '\(address):\(model)' is not <address 0-9/A-Z/a-z>:<teros12|profile>") }
                return SDI12SensorSimulator(address: ascii, model: model, seconds: sdi12Seconds, corruptEvery: corruptEvery)
            }
            let terminal = try PseudoTerminalPair()
            Self.emit(["event": "pty", "protocol": "sdi12", "path": terminal.path])
            sdi12Bus = SDI12BusSimulator(terminal: terminal, sensors: sensors, soil: soil, speed: speed)
        }
        var modbusBus: ModbusBusSimulator?
        if let modbus {
            let slaves = try Self.pairs(modbus, option: "--modbus").map { unit, model -> ModbusSlaveSimulator in
                guard let id = Int(unit), (1...247).contains(id), let model = ModbusSlaveSimulator.Model(rawValue: model) else {
                    throw ValidationError("--modbus: '\(unit):\(model)' is not <unit 1-247>:<soil|flow>")
                }
                return ModbusSlaveSimulator(unit: UInt8(id), model: model)
            }
            let terminal = try PseudoTerminalPair()
            Self.emit(["event": "pty", "protocol": "modbus", "path": terminal.path])
            modbusBus = ModbusBusSimulator(terminal: terminal, slaves: slaves, soil: soil, speed: speed, corruptEvery: corruptEvery)
        }
        var gateway: (LoRaGatewaySimulator, UDPFrameSender)?
        if let lorawan {
            guard let address = SocketAddressSpec(lorawan) else { throw ValidationError("--lorawan: expected HOST:PORT, got \(lorawan)") }
            let simulator = LoRaGatewaySimulator(
                gateway: LoRaWANEUI(0xAA55_5A00_0000_0001), devices: try LoRaGatewaySimulator.defaultDevices(count: lorawanDevices), soil: soil)
            gateway = (simulator, try UDPFrameSender(host: address.host, port: address.port))
        }
        guard sdi12Bus != nil || modbusBus != nil || gateway != nil else {
            throw ValidationError("give at least one of --sdi12, --modbus, --lorawan")
        }
        let interval = uplinkInterval
        let stopAfter = duration
        await withTaskGroup(of: Void.self) { tasks in
            if let sdi12Bus {
                tasks.addTask {
                    await sdi12Bus.run { address, time, values in
                        Self.emit(["event": "sdi12", "address": String(address), "time": time, "values": values])
                    }
                }
            }
            if let modbusBus {
                tasks.addTask {
                    await modbusBus.run { unit, time, response in
                        Self.emit(["event": "modbus", "unit": Int(unit), "time": time, "response": response.map { String(format: "%02x", $0) }.joined()])
                    }
                }
            }
            if let gateway {
                let simulator = gateway.0
                let box = SendableSender(sender: gateway.1)
                tasks.addTask {
                    let started = Date().timeIntervalSince1970
                    var counter: UInt32 = 0
                    while !Task.isCancelled {
                        for device in simulator.devices {
                            let time = soil.start + (Date().timeIntervalSince1970 - started) * speed
                            do {
                                let datagram = try simulator.pushData(
                                    device: device, counter: counter, time: time, token: UInt16(truncatingIfNeeded: counter),
                                    withStat: counter % 10 == 0)
                                var batch = SimulatedBatch()
                                batch.bytes = datagram
                                batch.ends = [datagram.count]
                                batch.timestamps = [0]
                                batch.drones = [0]
                                try box.sender.write(batch)
                                Self.emit(["event": "lorawan", "dev_eui": device.devEUI.description, "fcnt": Int(counter), "time": time])
                            } catch {
                                FileHandle.standardError.write(Data("lorawan: \(error)\n".utf8))
                            }
                        }
                        counter &+= 1
                        try? await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
                    }
                }
            }
            if let stopAfter {
                try? await Task.sleep(for: .milliseconds(Int64(stopAfter * 1000)))
                tasks.cancelAll()
            }
        }
    }

    static func pairs(_ text: String, option: String) throws -> [(String, String)] {
        try text.split(separator: ",").map { pair in
            let parts = pair.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("\(option): '\(pair)' is not <id>:<model>") }
            return (parts[0], parts[1])
        }
    }

    /// One JSON line on standard output, flushed (a test reads it while the simulator runs).
    static func emit(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}

/// The UDP sender is used by one task only; the box lets that task own it.
private struct SendableSender: @unchecked Sendable {
    let sender: UDPFrameSender
}
