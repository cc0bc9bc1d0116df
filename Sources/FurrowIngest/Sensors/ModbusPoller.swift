import FurrowWire
import Logging

/// The Modbus RTU master of one RS-485 bus: polls each slave's register blocks (FC 03/04) on the slave's
/// own schedule, one transaction at a time, and stores each reading (raw and calibrated).
///
/// Exception responses, CRC errors, timeouts and damaged frames are counted per slave (`exception`, `crc`,
/// `timeout`, `frame`) and logged at most once per minute per slave; polling goes on. A port that cannot
/// be opened or disappears is reopened every few seconds. Runs until its task is cancelled.
public struct ModbusPoller: Sendable {
    /// One slave on the bus.
    public struct Slave: Sendable {
        public let unit: UInt8
        public let source: String
        public let interval: Duration
        public let blocks: [SensorProfile.Modbus.Block]
        public let layout: SensorReadingLayout
        public let metrics: SensorMetrics

        /// Unit `unit`, stored as `source`, read every `interval` with its profile's register blocks.
        public init(unit: UInt8, source: String, interval: Duration, profile: SensorProfile) {
            self.unit = unit
            self.source = source
            self.interval = interval
            blocks = profile.modbus?.blocks ?? []
            layout = profile.storeLayout()
            metrics = SensorMetrics(source: source)
        }
    }

    public let bus: String
    public let settings: SerialPortSettings
    public let responseTimeout: Duration
    public let retries: Int
    public let slaves: [Slave]
    public let writer: SensorReadingWriter
    let logger: Logger
    public var reopenDelay: Duration = .seconds(3)
    /// Where `/healthz` shows the bus (open or not, the last error).
    public var status: DaemonStatus?

    /// A master for the bus on `settings.device`; nothing is opened until `run()`.
    public init(
        bus: String, settings: SerialPortSettings, responseTimeout: Duration, retries: Int, slaves: [Slave],
        writer: SensorReadingWriter, logger: Logger
    ) {
        self.bus = bus
        self.settings = settings
        self.responseTimeout = responseTimeout
        self.retries = retries
        self.slaves = slaves
        self.writer = writer
        self.logger = logger
    }

    /// Polls until cancelled.
    public func run() async {
        let problems = ThrottledLog(logger: logger, interval: .seconds(60))
        var schedule = PollSchedule(intervals: slaves.map(\.interval))
        var last: [Int64?] = Array(repeating: nil, count: slaves.count)
        while !Task.isCancelled {
            let port: SerialBusPort
            do {
                port = try SerialBusPort(settings: settings)
            } catch {
                status?.setLink(bus, endpoint: "modbus \(settings)", connected: false, error: "\(error)")
                for slave in slaves { slave.metrics.error(.open) }
                problems.error("modbus-open", "Modbus bus \(bus): cannot open \(settings.device): \(error); retrying")
                try? await Task.sleep(for: reopenDelay)
                continue
            }
            logger.info("Modbus bus \(bus): \(settings) open, \(slaves.count) slaves")
            status?.setLink(bus, endpoint: "modbus \(settings)", connected: true)
            defer { port.close() }
            let client = ModbusRTUClient(port: port, settings: settings, responseTimeout: responseTimeout)
            var lastFrameEnd = ContinuousClock.now
            do {
                while !Task.isCancelled, let next = schedule.next {
                    let (index, at) = (next.index, next.at)
                    try await Task.sleep(until: at, clock: .continuous)
                    let slave = slaves[index]
                    let started = receiveClockMicroseconds()
                    if let raw = try await poll(slave, client: client, lastFrameEnd: &lastFrameEnd, problems: problems) {
                        do {
                            last[index] = try await writer.write(
                                source: slave.source, channels: slave.layout.storeChannels, values: slave.layout.row(raw: raw),
                                at: started, after: last[index])
                            slave.metrics.reading()
                        } catch {
                            problems.error("sensor-store", "Modbus \(slave.source): reading not stored: \(error)")
                        }
                    }
                    schedule.polled(index)
                }
            } catch is CancellationError {
                return
            } catch {
                status?.setLink(bus, endpoint: "modbus \(settings)", connected: false, error: "\(error)")
                problems.error("modbus-port", "Modbus bus \(bus): \(error); reopening")
                try? await Task.sleep(for: reopenDelay)
            }
        }
    }

    /// Reads every block of `slave`; nil (counted and logged) when one failed. Port failures are thrown.
    func poll(
        _ slave: Slave, client: ModbusRTUClient, lastFrameEnd: inout ContinuousClock.Instant, problems: ThrottledLog
    ) async throws -> [Double]? {
        var blocks: [(SensorProfile.Modbus.Block, [UInt16])] = []
        for block in slave.blocks {
            let request = ModbusRegisterAddress(table: block.table, address: block.start).readRequest(slave: slave.unit, count: block.count)
            var attempt = 0
            while true {
                do {
                    guard case .registers(let registers)? = try await client.transact(request, lastFrameEnd: &lastFrameEnd) else {
                        return nil
                    }
                    blocks.append((block, registers))
                    break
                } catch ModbusRTUClient.Failure.modbus(let error) {
                    let kind = Self.kind(of: error)
                    slave.metrics.error(kind)
                    // An exception is the slave's considered answer: asking again at once gets the same.
                    if kind != .exception && attempt < retries {
                        attempt += 1
                        continue
                    }
                    problems.error("modbus-\(kind.rawValue)", key: "\(slave.source)/\(kind.rawValue)", "Modbus \(slave.source): \(error)")
                    return nil
                } catch ModbusRTUClient.Failure.port(let error) {
                    throw error
                }
            }
        }
        return slave.layout.channels.map { channel -> Double in
            guard case .modbusRegister(let spec) = channel.origin,
                let found = blocks.first(where: { $0.0.table == spec.table })
            else { return .nan }
            let (block, registers) = found
            let field = ModbusRegisterField(index: Int(spec.address) - Int(block.start), type: spec.type, order: spec.order)
            return (try? field.raw(from: registers)) ?? .nan
        }
    }

    static func kind(of error: ModbusError) -> SensorMetrics.Kind {
        switch error.code {
        case .exception: .exception
        case .crcMismatch: .crc
        case .timeout: .timeout
        default: .frame
        }
    }
}
