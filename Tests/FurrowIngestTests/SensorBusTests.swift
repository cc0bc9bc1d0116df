import Foundation
import FurrowStore
import FurrowWire
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import FurrowIngest

/// The real pollers on a real tty: the Modbus master and the SDI-12 recorder read and write the slave end of a
/// pseudo-terminal whose master end a simulator answers, in this process; readings land in a store.
@Suite("Sensor pollers on a pseudo-terminal", .serialized)
struct SensorBusTests {
    static let soil = SimulatedSoil(start: 1_750_000_000)

    static func store() throws -> (TimeSeriesStore, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-sensors-\(UUID().uuidString).sqlite").path
        return (try TimeSeriesStore(path: path), path)
    }

    static func values(_ store: TimeSeriesStore, _ source: String, _ channel: String) async throws -> [Double] {
        let key = StoreSeriesKey(group: StoreGroupKey(project: "p", source: source, name: "reading"), channel: channel)
        guard case .float64(let values) = try await store.readAll(key, in: Int64.min..<Int64.max).values else { return [] }
        return values
    }

    /// Runs `body` until `done` says so (checked every 200 ms) or 30 s passed, then cancels it. Waiting for a
    /// result rather than a fixed time keeps the tests meaningful when the whole suite loads the machine.
    static func run(
        until done: @escaping @Sendable () async -> Bool, _ body: @escaping @Sendable () async -> Void
    ) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await body() }
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline, !(await done()) {
                try? await Task.sleep(for: .milliseconds(200))
            }
            group.cancelAll()
        }
    }

    /// How many readings `source` has so far (0 before the first).
    static func count(_ store: TimeSeriesStore, _ source: String, _ channel: String) async -> Int {
        (try? await values(store, source, channel).count) ?? 0
    }

    @Test("Modbus master: one slave answers, while a missing one times out and an exception refuses a read")
    func modbus() async throws {
        let terminal = try PseudoTerminalPair()
        let (store, path) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let soilProfile = try #require(try DeviceProfile(contentsOf: Repository.path("Hardware/profiles/rs485-soil-7in1.toml")).sensor)
        let flowProfile = try #require(try DeviceProfile(contentsOf: Repository.path("Hardware/profiles/modbus-flow-meter.toml")).sensor)
        let poller = ModbusPoller(
            bus: "b", settings: try SerialPortSettings(device: terminal.path, baudRate: 9600, framing: "8N1"),
            responseTimeout: .milliseconds(150), retries: 0,
            slaves: [
                .init(unit: 1, source: "soil", interval: .milliseconds(200), profile: soilProfile),
                .init(unit: 9, source: "absent", interval: .milliseconds(300), profile: soilProfile),
                // A soil probe asked for flow-meter input registers: exception 02 every time.
                .init(unit: 1, source: "wrong-map", interval: .milliseconds(300), profile: flowProfile),
            ],
            writer: SensorReadingWriter(store: store, project: "p"), logger: Logger(label: "test"))
        let simulator = ModbusBusSimulator(terminal: terminal, slaves: [ModbusSlaveSimulator(unit: 1, model: .soil)], soil: Self.soil, speed: 1)
        await Self.run(until: { await Self.count(store, "soil", "vwc") >= 4 }) {
            async let sim: Void = simulator.run { _, _, _ in }
            await poller.run()
            await sim
        }
        let vwc = try await Self.values(store, "soil", "vwc")
        let raw = try await Self.values(store, "soil", "vwc_raw")
        #expect(vwc.count >= 4, "\(vwc)")
        #expect(zip(vwc, raw).allSatisfy { $0 == $1 * 0.1 })
        // Nothing from the silent unit and from the refused reads: those sources have no series at all.
        await #expect(throws: (any Error).self) { _ = try await Self.values(store, "absent", "vwc") }
        await #expect(throws: (any Error).self) { _ = try await Self.values(store, "wrong-map", "flow_rate") }
    }

    @Test("SDI-12 recorder: aMC! with CRC and a service request, aC! over D0 and D1, values as sent", arguments: [false, true])
    func sdi12(echoingAdapter: Bool) async throws {
        let terminal = try PseudoTerminalPair()
        let (store, path) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let teros = try #require(try DeviceProfile(contentsOf: Repository.path("Hardware/profiles/meter-teros12.toml")).sensor)
        let probe = try #require(try DeviceProfile(contentsOf: Repository.path("Hardware/profiles/sdi12-profile-probe.toml")).sensor)
        let recorder = SDI12Recorder(
            bus: "s", settings: try SerialPortSettings(device: terminal.path, baudRate: 1200, framing: "7E1"),
            session: .init(responseTimeout: .milliseconds(300), retries: 1),
            sensors: [
                .init(address: try SDI12Address("0"), source: "teros", interval: .milliseconds(500), profile: teros),
                .init(address: try SDI12Address("1"), source: "probe", interval: .milliseconds(800), profile: probe),
            ],
            writer: SensorReadingWriter(store: store, project: "p"), logger: Logger(label: "test"))
        let simulator = SDI12BusSimulator(
            terminal: terminal,
            sensors: [
                SDI12SensorSimulator(address: UInt8(ascii: "0"), model: .teros12, seconds: 0),
                SDI12SensorSimulator(address: UInt8(ascii: "1"), model: .profile, seconds: 0),
            ], soil: Self.soil, speed: 60, echoes: echoingAdapter)
        await Self.run(until: {
            let teros = await Self.count(store, "teros", "vwc")
            let probe = await Self.count(store, "probe", "vwc_10cm")
            return teros >= 2 && probe >= 2
        }) {
            async let sim: Void = simulator.run { _, _, _ in }
            await recorder.run()
            await sim
        }
        let raw = try await Self.values(store, "teros", "vwc_raw")
        let vwc = try await Self.values(store, "teros", "vwc")
        #expect(raw.count >= 2, "\(raw)")
        #expect(vwc == raw.map { 3.879e-4 * $0 + -0.6956 })
        let deep = try await Self.values(store, "probe", "temperature_60cm")
        #expect(deep.count >= 2 && deep.allSatisfy { (10...30).contains($0) }, "\(deep)")
    }

    @Test("SDI-12 aC!: two probes due together measure at the same time, and both readings arrive")
    func concurrent() async throws {
        let terminal = try PseudoTerminalPair()
        let (store, path) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let probe = try #require(try DeviceProfile(contentsOf: Repository.path("Hardware/profiles/sdi12-profile-probe.toml")).sensor)
        var recorder = SDI12Recorder(
            bus: "s", settings: try SerialPortSettings(device: terminal.path, baudRate: 1200, framing: "7E1"),
            session: .init(responseTimeout: .milliseconds(300), retries: 1),
            sensors: [
                .init(address: try SDI12Address("1"), source: "probe-1", interval: .seconds(5), profile: probe),
                .init(address: try SDI12Address("2"), source: "probe-2", interval: .seconds(5), profile: probe),
            ],
            writer: SensorReadingWriter(store: store, project: "p"), logger: Logger(label: "test"))
        recorder.reopenDelay = .milliseconds(100)
        let configured = recorder
        let simulator = SDI12BusSimulator(
            terminal: terminal,
            sensors: [
                SDI12SensorSimulator(address: UInt8(ascii: "1"), model: .profile, seconds: 2),
                SDI12SensorSimulator(address: UInt8(ascii: "2"), model: .profile, seconds: 2),
            ], soil: Self.soil, speed: 60)
        let starts = NIOLockedValueBox<[ContinuousClock.Instant]>([])
        await Self.run(until: {
            let first = await Self.count(store, "probe-1", "vwc_10cm")
            let second = await Self.count(store, "probe-2", "vwc_10cm")
            return first >= 1 && second >= 1
        }) {
            async let sim: Void = simulator.run { _, _, _ in starts.withLockedValue { $0.append(.now) } }
            await configured.run()
            await sim
        }
        let times = starts.withLockedValue { $0 }
        #expect(times.count == 2)
        if times.count == 2 { #expect(times[1] - times[0] < .milliseconds(1500), "the second aC! does not wait for the first probe (2 s)") }
        #expect(try await Self.values(store, "probe-1", "vwc_10cm").count == 1)
        #expect(try await Self.values(store, "probe-2", "vwc_10cm").count == 1)
    }
}
