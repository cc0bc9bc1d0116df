import Foundation
import FurrowWire

/// Simulated Modbus slaves on one pseudo-terminal: frames the master's requests (by length, resynchronising
/// after 50 ms of silence) and answers for the addressed unit.
public struct ModbusBusSimulator: Sendable {
    public let terminal: PseudoTerminalPair
    public var slaves: [ModbusSlaveSimulator]
    public let soil: SimulatedSoil
    public let speed: Double
    /// Every n-th answer goes out with a damaged CRC (line noise); 0 never.
    public let corruptEvery: Int

    public init(terminal: PseudoTerminalPair, slaves: [ModbusSlaveSimulator], soil: SimulatedSoil, speed: Double, corruptEvery: Int = 0) {
        self.terminal = terminal
        self.slaves = slaves
        self.soil = soil
        self.speed = speed
        self.corruptEvery = corruptEvery
    }

    /// Answers until cancelled; `report` gets each answered read's unit, function and registers.
    public func run(report: @Sendable (_ unit: UInt8, _ time: Double, _ response: [UInt8]) -> Void) async {
        var slaves = self.slaves
        let started = ContinuousClock.now
        var buffer: [UInt8] = []
        var lastByte = ContinuousClock.now
        var answers = 0
        while !Task.isCancelled {
            let bytes = terminal.read()
            let now = ContinuousClock.now
            if bytes.isEmpty {
                if !buffer.isEmpty && now - lastByte > .milliseconds(50) { buffer.removeAll() }
                try? await Task.sleep(for: .milliseconds(2))
                continue
            }
            lastByte = now
            buffer += bytes
            while let length = ModbusSlaveSimulator.requestLength(buffer[...]), buffer.count >= length {
                let frame = Array(buffer.prefix(length))
                buffer.removeFirst(length)
                guard CRC16Modbus.isValid(frame: frame) else {
                    buffer.removeAll()  // out of step: wait for the next frame after silence
                    break
                }
                let elapsed = ContinuousClock.now - started
                let time = soil.start + (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * speed
                for i in slaves.indices {
                    if var response = slaves[i].respond(to: frame, at: time, soil: soil) {
                        // A slave answers after its own turnaround (a few ms).
                        try? await Task.sleep(for: .milliseconds(3))
                        answers += 1
                        if corruptEvery > 0 && answers % corruptEvery == 0, let last = response.indices.last {
                            response[last] ^= 0x5A
                        }
                        terminal.write(response)
                        report(slaves[i].unit, time, response)
                    }
                }
            }
        }
    }
}
