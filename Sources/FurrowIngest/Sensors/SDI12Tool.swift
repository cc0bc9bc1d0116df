import FurrowWire

/// One SDI-12 command on a serial adapter, for commands run by hand (`furrow sensors sdi12` to find a
/// sensor's address with `?!`, identify it with `aI!`, or give it a new address with `aAb!`).
public enum SDI12Tool {
    /// Opens `device`, wakes the bus (break, marking), sends `command`, and returns the first line that
    /// comes back without its `<CR><LF>` (nil when nothing came within `timeout`).
    ///
    /// - Throws: `SerialPortError` when the device cannot be used.
    public static func command(
        device: String, baud: Int = 1200, framing: String = "7E1", command: String, timeout: Duration = .seconds(1)
    ) async throws -> String? {
        let port = try SerialBusPort(settings: try SerialPortSettings(device: device, baudRate: baud, framing: framing))
        defer { port.close() }
        try? await port.wake()
        port.discardInput()
        let bytes = Array(command.utf8)
        try await port.write(bytes)
        var echo = SDI12EchoFilter()
        echo.expect(bytes)
        var line: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, line.count < 256 {
            let received = echo.filter(try port.read())
            if received.isEmpty {
                try await Task.sleep(for: SerialBusPort.pollStep)
                continue
            }
            line += received
            if let end = line.firstIndex(of: 0x0A) {
                let text = line[..<end].drop { $0 < 0x20 || $0 > 0x7E }.filter { $0 != 0x0D }
                return String(decoding: text, as: UTF8.self)
            }
        }
        return nil
    }
}
