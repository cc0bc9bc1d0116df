import Foundation

/// Simulated SDI-12 sensors on one pseudo-terminal: reads the recorder's commands from the master end and
/// answers as each addressed sensor would, with service requests after the announced seconds.
///
/// Every measurement's values are reported to `report` (the `furrow simulate sensors` command prints them
/// as JSON lines, so a test can compare them with what the daemon stored).
public struct SDI12BusSimulator: Sendable {
    public let terminal: PseudoTerminalPair
    public var sensors: [SDI12SensorSimulator]
    public let soil: SimulatedSoil
    /// Simulated seconds per real second.
    public let speed: Double
    /// Send every command back as an echoing one-wire adapter does.
    public let echoes: Bool

    public init(terminal: PseudoTerminalPair, sensors: [SDI12SensorSimulator], soil: SimulatedSoil, speed: Double, echoes: Bool = false) {
        self.terminal = terminal
        self.sensors = sensors
        self.soil = soil
        self.speed = speed
        self.echoes = echoes
    }

    /// Answers until cancelled.
    public func run(report: @Sendable (_ address: Character, _ time: Double, _ values: [String]) -> Void) async {
        var sensors = self.sensors
        let started = ContinuousClock.now
        var command: [UInt8] = []
        var outbox: [(at: ContinuousClock.Instant, bytes: [UInt8])] = []
        while !Task.isCancelled {
            let now = ContinuousClock.now
            while let first = outbox.indices.min(by: { outbox[$0].at < outbox[$1].at }), outbox[first].at <= now {
                terminal.write(outbox[first].bytes)
                outbox.remove(at: first)
            }
            for byte in terminal.read() {
                // Break glitches and stray control bytes are not part of a command.
                guard byte >= 0x20 && byte <= 0x7E else { continue }
                command.append(byte)
                if command.count > 16 { command.removeFirst(command.count - 16) }
                guard byte == UInt8(ascii: "!") else { continue }
                if echoes { terminal.write(command) }
                let elapsed = ContinuousClock.now - started
                let time = soil.start + Double(elapsed.components.seconds) * speed
                    + Double(elapsed.components.attoseconds) / 1e18 * speed
                for i in sensors.indices {
                    let sensor = sensors[i]
                    let soil = self.soil
                    let responses = sensors[i].respond(to: command) {
                        let values = sensor.values(at: time, soil: soil)
                        report(Character(Unicode.Scalar(sensor.address)), time, values)
                        return values
                    }
                    for response in responses { outbox.append((ContinuousClock.now + response.delay, response.bytes)) }
                }
                command.removeAll()
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }
}
