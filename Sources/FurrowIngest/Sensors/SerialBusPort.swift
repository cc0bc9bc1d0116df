import FurrowWire

/// A request/response serial port for a sensor bus: non-blocking reads polled every few milliseconds,
/// whole writes, and the SDI-12 wake-up (break, then marking).
///
/// Sensor buses carry a few bytes a second, so polling the descriptor is cheaper and simpler than an event
/// loop registration; every wait is a `Task.sleep`, so cancellation ends a poller within one poll step.
struct SerialBusPort: Sendable {
    let port: SerialPort
    /// How often an idle read looks again.
    static let pollStep = Duration.milliseconds(3)

    init(settings: SerialPortSettings) throws(SerialPortError) {
        port = try SerialPort(opening: settings)
    }

    /// Writes every byte (waiting for room in the driver's buffer).
    func write(_ bytes: [UInt8]) async throws {
        var offset = 0
        var stalls = 0
        while offset < bytes.count {
            let n = try port.write(bytes[offset...])
            offset += n
            if n == 0 {
                stalls += 1
                guard stalls < 1000 else { throw SerialPortError.ioFailed(operation: "write (buffer stays full)", path: port.settings.device, errno: 0) }
                try await Task.sleep(for: Self.pollStep)
            }
        }
    }

    /// What has arrived, without waiting.
    func read() throws -> [UInt8] { try port.read() }

    /// SDI-12 wake-up: at least 12 ms of break, then at least 8.33 ms of marking (v1.4 §7.0). A driver without
    /// break support (a pseudo-terminal) returns at once; the caller logs that once.
    func wake() async throws {
        try port.setBreak(true)
        try await Task.sleep(for: .milliseconds(13))
        try port.setBreak(false)
        try await Task.sleep(for: .milliseconds(9))
    }

    func discardInput() { try? port.discardInput() }

    func close() { port.close() }
}
