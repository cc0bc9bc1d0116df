import FurrowWire

/// One Modbus RTU transaction on a serial device, for commands run by hand (`furrow sensors modbus-write`
/// to set a probe's unit id or baud rate, `modbus-read` to check a register map).
public enum ModbusRTUTool {
    /// Opens `device`, sends `request`, waits for its response, closes.
    ///
    /// - Returns: the parsed response, nil for a broadcast write (slave 0).
    /// - Throws: `SerialPortError` when the device cannot be used, `ModbusError` for the slave's exception,
    ///   a timeout or a damaged answer.
    public static func transact(
        device: String, baud: Int, framing: String, request: ModbusRequest, timeout: Duration = .seconds(1)
    ) async throws -> ModbusResponse? {
        let settings = try SerialPortSettings(device: device, baudRate: baud, framing: framing)
        let port = try SerialBusPort(settings: settings)
        defer { port.close() }
        let client = ModbusRTUClient(port: port, settings: settings, responseTimeout: timeout)
        var lastFrameEnd = ContinuousClock.now
        do {
            return try await client.transact(request, lastFrameEnd: &lastFrameEnd)
        } catch ModbusRTUClient.Failure.modbus(let error) {
            throw error
        } catch ModbusRTUClient.Failure.port(let error) {
            throw error
        }
    }
}
