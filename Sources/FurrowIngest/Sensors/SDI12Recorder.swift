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

        /// A sensor at `address`, stored as `source`, measured every `interval` as its profile says.
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

    /// A recorder for the bus on `settings.device`; nothing is opened until `run()`.
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
                    // Sensors measured with aC! that are due within a second measure at the same time: each gets
                    // its command, and the bus serves the others while they work.
                    var batch = [index]
                    if case .concurrent = sensors[index].kind {
                        batch = schedule.due(by: .now + .seconds(1)).filter {
                            if case .concurrent = sensors[$0].kind { true } else { false }
                        }
                    }
                    let started = receiveClockMicroseconds()
                    let results =
                        batch.count == 1
                        ? [try await measure(sensors[index], on: port, problems: problems)]
                        : try await measureConcurrently(batch.map { sensors[$0] }, on: port, problems: problems)
                    for (i, result) in zip(batch, results) {
                        last[i] = await record(result, of: sensors[i], at: started, after: last[i], problems: problems)
                        schedule.polled(i)
                    }
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

    /// Stores a measurement (or counts and logs its failure); returns the source's last timestamp.
    func record(
        _ result: Result<SDI12Measurement, SDI12Error>, of sensor: Sensor, at started: Int64, after last: Int64?,
        problems: ThrottledLog
    ) async -> Int64? {
        switch result {
        case .success(let measurement):
            let raw = sensor.layout.channels.map { channel -> Double in
                guard case .sdi12Value(let i) = channel.origin, i < measurement.values.count else { return .nan }
                return measurement.values[i].value
            }
            do {
                let timestamp = try await writer.write(
                    source: sensor.source, channels: sensor.layout.storeChannels, values: sensor.layout.row(raw: raw),
                    at: started, after: last)
                sensor.metrics.reading()
                return timestamp
            } catch {
                problems.error("sensor-store", "SDI-12 \(sensor.source): reading not stored: \(error)")
                return last
            }
        case .failure(let error):
            let kind = Self.kind(of: error)
            sensor.metrics.error(kind)
            problems.error("sdi12-\(kind.rawValue)", key: "\(sensor.source)/\(kind.rawValue)", "SDI-12 \(sensor.source): \(error)")
            return last
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

    /// Runs several `aC!` sessions at once on the port: one command on the bus at a time, while the other
    /// sensors measure. A session owns the bus from its command until the answer is in (or it gives up); a
    /// session whose measurement time ran out waits for the bus to send its `aD0!`.
    func measureConcurrently(
        _ batch: [Sensor], on port: SerialBusPort, problems: ThrottledLog
    ) async throws -> [Result<SDI12Measurement, SDI12Error>] {
        struct Slot {
            var machine: SDI12MeasurementSession
            var queued: [SDI12MeasurementSession.Action]
            var deadline: ContinuousClock.Instant?
            var result: Result<SDI12Measurement, SDI12Error>?
        }
        var slots = batch.map { sensor in
            var machine = SDI12MeasurementSession(address: sensor.address, kind: sensor.kind, configuration: session)
            let queued = machine.start()
            return Slot(machine: machine, queued: queued, deadline: nil, result: nil)
        }
        var active: Int?
        var echo = SDI12EchoFilter()
        while slots.contains(where: { $0.result == nil }) {
            // Carry out what the sessions asked for; a command waits while another session holds the bus.
            for i in slots.indices where slots[i].result == nil && !slots[i].queued.isEmpty {
                let wantsBus = slots[i].queued.contains { if case .send = $0 { true } else { false } }
                if wantsBus, let holder = active, holder != i { continue }
                let actions = slots[i].queued
                slots[i].queued = []
                for action in actions {
                    switch action {
                    case .send(let command):
                        echo.expect(try await send(command, on: port, problems: problems))
                        active = i
                    case .setTimer(let duration): slots[i].deadline = .now + duration
                    case .cancelTimer: slots[i].deadline = nil
                    case .completed(let measurement): slots[i].result = .success(measurement)
                    case .failed(let error): slots[i].result = .failure(error)
                    }
                }
                if slots[i].result != nil, active == i { active = nil }
            }
            let bytes = echo.filter(try port.read())
            if !bytes.isEmpty, let holder = active {
                let actions = slots[holder].machine.receive(bytes)
                // Only a timer and no command: the reply `atttnn` is in and the sensor measures; the bus is free.
                if !actions.isEmpty && actions.allSatisfy({ if case .setTimer = $0 { true } else { false } }) { active = nil }
                slots[holder].queued += actions
                continue
            }
            var fired = false
            for i in slots.indices where slots[i].result == nil && slots[i].queued.isEmpty {
                guard let d = slots[i].deadline, ContinuousClock.now >= d else { continue }
                // A session waiting for data fires only when the bus is free or already its own.
                if let holder = active, holder != i { continue }
                slots[i].deadline = nil
                slots[i].queued = slots[i].machine.timerFired()
                fired = true
            }
            if !fired { try await Task.sleep(for: SerialBusPort.pollStep) }
        }
        for (i, slot) in slots.enumerated() {
            let found = slot.machine.problems
            if case .failure(let error)? = slot.result {
                countRecovered(found.last == error ? found.dropLast() : found[...], batch[i])
            } else {
                countRecovered(found, batch[i])
            }
        }
        return slots.map { $0.result ?? .failure(SDI12Error(code: .timeout, text: "", reason: "not finished")) }
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
