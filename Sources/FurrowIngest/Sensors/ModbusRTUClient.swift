import FurrowWire

/// One Modbus RTU master transaction at a time on a serial port: silence before the request, the request,
/// the response framed by length and by the 3.5-character silence, parsed against the request.
///
/// Used by the daemon's pollers and by `furrow sensors modbus-write`.
struct ModbusRTUClient: Sendable {
    let port: SerialBusPort
    let timing: ModbusSerialTiming
    /// How long a slave may take to start answering (after the request left the wire).
    let responseTimeout: Duration
    /// A frame is over when no byte came for this long: t3.5, but at least 20 ms because USB adapters
    /// deliver bytes in bursts up to their latency timer (16 ms by default on FTDI) apart.
    var frameGap: Duration { Swift.max(timing.interFrameSilence, .milliseconds(20)) }

    init(port: SerialBusPort, settings: SerialPortSettings, responseTimeout: Duration) {
        self.port = port
        let parityBits = settings.parity == .none ? 0 : 1
        timing = ModbusSerialTiming(
            baudRate: settings.baudRate, bitsPerCharacter: 1 + settings.dataBits + parityBits + settings.stopBits.rawValue)
        self.responseTimeout = responseTimeout
    }

    /// Why a transaction failed.
    enum Failure: Error {
        /// The slave's answer (or lack of one) as Modbus sees it.
        case modbus(ModbusError)
        /// The port itself failed (unplugged): reopen it.
        case port(any Error)
    }

    /// Sends `request` and waits for its response (nil for a broadcast).
    func transact(_ request: ModbusRequest, lastFrameEnd: inout ContinuousClock.Instant) async throws -> ModbusResponse? {
        let frame: [UInt8]
        do {
            frame = try request.frame()
        } catch {
            throw Failure.modbus(error)
        }
        // Inter-frame silence since the last frame on the bus ended.
        let quietUntil = lastFrameEnd + timing.interFrameSilence
        if quietUntil > .now { try await Task.sleep(until: quietUntil, clock: .continuous) }
        port.discardInput()
        do {
            try await port.write(frame)
        } catch {
            throw Failure.port(error)
        }
        let sentAt = ContinuousClock.now
        defer { lastFrameEnd = .now }
        guard let expected = request.expectedResponseLength else {
            lastFrameEnd = sentAt + timing.transmissionTime(bytes: frame.count)
            return nil
        }
        let deadline = sentAt + timing.transmissionTime(bytes: frame.count + expected) + responseTimeout
        var framer = ModbusResponseFramer(request: request)
        var lastByte: ContinuousClock.Instant?
        while true {
            let bytes: [UInt8]
            do {
                bytes = try port.read()
            } catch {
                throw Failure.port(error)
            }
            let now = ContinuousClock.now
            if !bytes.isEmpty {
                lastByte = now
                do {
                    if let response = try framer.append(bytes) { return response }
                } catch {
                    throw Failure.modbus(error)
                }
                continue
            }
            if let lastByte, framer.bufferedCount > 0, now - lastByte >= frameGap {
                do {
                    try framer.silenceElapsed()
                } catch {
                    throw Failure.modbus(error)
                }
            }
            if now >= deadline, lastByte.map({ now - $0 >= frameGap }) ?? true {
                let held = framer.bufferedCount
                throw Failure.modbus(
                    ModbusError(
                        code: held > 0 ? .truncated : .timeout, slave: request.slave, function: request.function.code,
                        reason: held > 0
                            ? "only \(held) of \(expected) response bytes arrived"
                            : "no answer within \(responseTimeout) (check the unit id, baud rate, A/B wiring and termination)"))
            }
            try await Task.sleep(for: SerialBusPort.pollStep)
        }
    }
}
