import Foundation
import FurrowWire
import Logging

/// The SDI-12 recorder of one bus: wakes each sensor on its own schedule, starts a measurement
/// (`aM!`/`aMC!`/`aC!`…), waits the announced seconds or the service request, collects `aD0!`… until every
/// announced value is in, and stores the reading (raw and calibrated).
///
/// A sensor that stays silent or answers garbage is counted (`timeout`, `crc`, `frame`) and logged at most
/// once per interval; the recorder goes on with the next sensor. A port that cannot be opened or vanishes
/// is reopened every few seconds. Runs until its task is cancelled.
public struct SDI12Recorder: Sendable {
    /// One sensor on the bus.
    public struct Sensor: Sendable {
        public let address: SDI12Address
        public let source: String
        public let interval: Duration
        public let kind: SDI12MeasurementSession.Kind
        public let layout: SensorReadingLayout
        public let metrics: SensorMetrics

        public init(address: SDI12Address, source: String, interval: Duration, profile: SensorProfile) {
            self.address = address
            self.source = source
            self.interval = interval
            kind = profile.sdi12?.kind ?? .measure(index: 0, crc: true)
            layout = profile.storeLayout()
            metrics = SensorMetrics(source: source)
        }
    }

    public let bus: String
    public let settings: SerialPortSettings
    public let session: SDI12MeasurementSession.Configuration
    public let sensors: [Sensor]
    public let writer: SensorReadingWriter
    let logger: Logger
    /// How long to wait before reopening a port that failed.
    public var reopenDelay: Duration = .seconds(3)
    /// Where `/healthz` shows the bus (open or not, the last error).
    public var status: DaemonStatus?

    public init(
        bus: String, settings: SerialPortSettings, session: SDI12MeasurementSession.Configuration, sensors: [Sensor],
        writer: SensorReadingWriter, logger: Logger
    ) {
        self.bus = bus
        self.settings = settings
        self.session = session
        self.sensors = sensors
        self.writer = writer
        self.logger = logger
    }

    /// Polls until cancelled.
    public func run() async {
        let problems = ThrottledLog(logger: logger, interval: .seconds(60))
        var schedule = PollSchedule(intervals: sensors.map(\.interval))
        var last: [Int64?] = Array(repeating: nil, count: sensors.count)
        while !Task.isCancelled {
            let port: SerialBusPort
            do {
                port = try SerialBusPort(settings: settings)
            } catch {
                status?.setLink(bus, endpoint: "sdi12 \(settings)", connected: false, error: "\(error)")
                for sensor in sensors { sensor.metrics.error(.open) }
                problems.error("sdi12-open", "SDI-12 bus \(bus): cannot open \(settings.device): \(error); retrying")
                try? await Task.sleep(for: reopenDelay)
                continue
            }
            logger.info("SDI-12 bus \(bus): \(settings) open, \(sensors.count) sensors")
            status?.setLink(bus, endpoint: "sdi12 \(settings)", connected: true)
            defer { port.close() }
            for sensor in sensors where !Task.isCancelled {
                await identify(sensor, on: port, problems: problems)
            }
            do {
                while !Task.isCancelled, let next = schedule.next {
                    let (index, at) = (next.index, next.at)
                    try await Task.sleep(until: at, clock: .continuous)
                    let sensor = sensors[index]
                    let started = receiveClockMicroseconds()
                    switch try await measure(sensor, on: port, problems: problems) {
                    case .success(let measurement):
                        let raw = sensor.layout.channels.map { channel -> Double in
                            guard case .sdi12Value(let i) = channel.origin, i < measurement.values.count else { return .nan }
                            return measurement.values[i].value
                        }
                        do {
                            last[index] = try await writer.write(
                                source: sensor.source, channels: sensor.layout.storeChannels, values: sensor.layout.row(raw: raw),
                                at: started, after: last[index])
                            sensor.metrics.reading()
                        } catch {
                            problems.error("sensor-store", "SDI-12 \(sensor.source): reading not stored: \(error)")
                        }
                    case .failure(let error):
                        sensor.metrics.error(Self.kind(of: error))
                        let kind = Self.kind(of: error).rawValue
                        problems.error("sdi12-\(kind)", key: "\(sensor.source)/\(kind)", "SDI-12 \(sensor.source): \(error)")
                    }
                    schedule.polled(index)
                }
            } catch is CancellationError {
                return
            } catch {
                status?.setLink(bus, endpoint: "sdi12 \(settings)", connected: false, error: "\(error)")
                problems.error("sdi12-port", "SDI-12 bus \(bus): \(error); reopening")
                try? await Task.sleep(for: reopenDelay)
            }
        }
    }

    static func kind(of error: SDI12Error) -> SensorMetrics.Kind {
        switch error.code {
        case .timeout: .timeout
        case .crcMismatch: .crc
        default: .frame
        }
    }

    /// `aI!`, logged: which probe answers at the address (nothing stored; a silent sensor is measured anyway).
    func identify(_ sensor: Sensor, on port: SerialBusPort, problems: ThrottledLog) async {
        do {
            var echo = SDI12EchoFilter()
            echo.expect(try await send(.identify(sensor.address), on: port, problems: problems))
            let deadline = ContinuousClock.now + session.responseTimeout
            var line: [UInt8] = []
            while ContinuousClock.now < deadline {
                let bytes = echo.filter(try port.read())
                if bytes.isEmpty {
                    try await Task.sleep(for: SerialBusPort.pollStep)
                    continue
                }
                line += bytes
                guard line.count <= session.maximumLineLength else { break }
                if let end = line.firstIndex(of: 0x0A) {
                    let text = line[..<end].drop { $0 < 0x20 || $0 > 0x7E }
                    let id = try SDI12Identification.parse(text, expecting: sensor.address)
                    logger.info(
                        "SDI-12 \(sensor.source): \(id.vendor.trimmingCharacters(in: .whitespaces)) \(id.model.trimmingCharacters(in: .whitespaces)) v\(id.sensorVersion), SDI-12 \(id.sdi12Version)")
                    return
                }
            }
            problems.error("sdi12-identify", key: "\(sensor.source)/identify", "SDI-12 \(sensor.source): no answer to \(sensor.address)I!")
        } catch {
            problems.error("sdi12-identify", key: "\(sensor.source)/identify", "SDI-12 \(sensor.source): identify failed: \(error)")
        }
    }

    /// Runs one measurement session on the port; port errors are thrown (the caller reopens).
    func measure(_ sensor: Sensor, on port: SerialBusPort, problems: ThrottledLog) async throws -> Result<SDI12Measurement, SDI12Error> {
        var machine = SDI12MeasurementSession(address: sensor.address, kind: sensor.kind, configuration: session)
        var deadline: ContinuousClock.Instant?
        var echo = SDI12EchoFilter()
        var pending = machine.start()
        while true {
            for action in pending {
                switch action {
                case .send(let command): echo.expect(try await send(command, on: port, problems: problems))
                case .setTimer(let duration): deadline = .now + duration
                case .cancelTimer: deadline = nil
                case .completed(let measurement):
                    countRecovered(machine.problems, sensor)
                    return .success(measurement)
                case .failed(let error):
                    let problems = machine.problems
                    countRecovered(problems.last == error ? problems.dropLast() : problems[...], sensor)
                    return .failure(error)
                }
            }
            pending = []
            let bytes = echo.filter(try port.read())
            if !bytes.isEmpty {
                pending = machine.receive(bytes)
            } else if let d = deadline, ContinuousClock.now >= d {
                deadline = nil
                pending = machine.timerFired()
            } else {
                try await Task.sleep(for: SerialBusPort.pollStep)
            }
        }
    }

    /// Counts the unusable responses a retry recovered from (a CRC error that the repeated D0 fixed is still
    /// a CRC error on the wire); the final failure is counted by the caller.
    func countRecovered(_ problems: some Sequence<SDI12Error>, _ sensor: Sensor) {
        for problem in problems { sensor.metrics.error(Self.kind(of: problem)) }
    }

    /// Break, marking, command; returns the characters sent (an echoing adapter sends them back).
    func send(_ command: SDI12Command, on port: SerialBusPort, problems: ThrottledLog) async throws -> [UInt8] {
        do {
            try await port.wake()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            problems.error("sdi12-break", "SDI-12 bus \(bus): the port sends no break (\(error)); sensors that sleep will not wake")
        }
        port.discardInput()
        let bytes = try command.bytes()
        try await port.write(bytes)
        return bytes
    }
}
