import CoreMetrics
import Foundation
import FurrowIngest
import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

// Parts the transport tests share: a sink that keeps what it was offered, metrics and logs that can be
// read back, a socat pty pair, and polling with a deadline.

// MARK: - Sink

/// Keeps every burst offered (thread-safe); refuses them all while `accepting` is false.
final class CollectingSink: ReceiveSink {
    private struct State {
        var bytes: [UInt8] = []
        var bursts: [ReceiveBurst] = []
        var accepting = true
    }

    private let state = NIOLockedValueBox(State())
    /// Whether to keep each burst's metadata (not only the bytes).
    private let keepBursts: Bool

    init(keepBursts: Bool = true) {
        self.keepBursts = keepBursts
    }

    func offer(_ burst: ReceiveBurst) -> Bool {
        state.withLockedValue { state in
            guard state.accepting else { return false }
            state.bytes.append(contentsOf: burst.bytes)
            if keepBursts {
                state.bursts.append(burst)
            }
            return true
        }
    }

    var bytes: [UInt8] { state.withLockedValue { $0.bytes } }
    var byteCount: Int { state.withLockedValue { $0.bytes.count } }
    var bursts: [ReceiveBurst] { state.withLockedValue { $0.bursts } }

    func setAccepting(_ accepting: Bool) {
        state.withLockedValue { $0.accepting = accepting }
    }
}

// MARK: - Metrics

/// A metrics backend whose counters and gauges tests can read (`value("…", link: "radio")`).
final class TestMetrics: MetricsFactory {
    final class Handler: CounterHandler, RecorderHandler {
        private let value = NIOLockedValueBox<Int64>(0)
        var current: Int64 { value.withLockedValue { $0 } }
        func increment(by amount: Int64) { value.withLockedValue { $0 += amount } }
        func reset() { value.withLockedValue { $0 = 0 } }
        func record(_ value: Int64) { self.value.withLockedValue { $0 = value } }
        func record(_ value: Double) { self.value.withLockedValue { $0 = Int64(value) } }
    }

    private let handlers = NIOLockedValueBox<[String: Handler]>([:])

    func value(_ label: String, link: String) -> Int64? {
        handlers.withLockedValue { $0[Self.key(label, [("link", link)])]?.current }
    }

    private static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        label + "{" + dimensions.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "}"
    }

    private func handler(_ label: String, _ dimensions: [(String, String)]) -> Handler {
        handlers.withLockedValue { handlers in
            let key = Self.key(label, dimensions)
            if let existing = handlers[key] { return existing }
            let made = Handler()
            handlers[key] = made
            return made
        }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        handler(label, dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        handler(label, dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        NOOPMetricsHandler.instance
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

// MARK: - Logs

/// Log records kept for assertions.
final class LogRecords: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let records = NIOLockedValueBox<[Record]>([])

    var all: [Record] { records.withLockedValue { $0 } }

    func append(_ record: Record) {
        records.withLockedValue { $0.append(record) }
    }

    /// How many records with this message were logged at info level or above (what an operator sees).
    func count(_ message: String) -> Int {
        all.filter { $0.message == message && $0.level >= .info }.count
    }

    /// The first record with this message at info level or above.
    func first(_ message: String) -> Record? {
        all.first { $0.message == message && $0.level >= .info }
    }

    /// A logger at debug level whose records land here.
    func logger(label: String = "furrow.test") -> Logger {
        Logger(label: label) { _ in CapturingLogHandler(records: self) }
    }
}

struct CapturingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        records.append(
            .init(
                level: event.level,
                message: event.message.description,
                metadata: metadata.merging(event.metadata ?? [:]) { _, new in new }
            )
        )
    }
}

// MARK: - Pseudo-terminals

/// Two linked pseudo-terminals made by socat, reachable as `<directory>/a` and `<directory>/b`: what is
/// written to one end is read from the other. Stopping socat makes both devices go away (like pulling a
/// USB adapter); starting it again brings them back under the same names.
final class SocatPtyPair {
    let directory: String
    private var process: Process?

    var a: String { directory + "/a" }
    var b: String { directory + "/b" }

    init() throws {
        directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("furrow-serial-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts socat and waits (up to 5 s) until both links exist.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/socat")
        process.arguments = ["pty,raw,echo=0,link=\(a)", "pty,raw,echo=0,link=\(b)"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let ready = try await eventually(timeout: .seconds(5)) {
            FileManager.default.fileExists(atPath: self.a) && FileManager.default.fileExists(atPath: self.b)
        }
        guard ready else { throw SocatFailure(message: "socat did not create \(a) and \(b) within 5 s") }
    }

    /// Kills socat, waits for it to exit, and removes its links. (SIGKILL, not `terminate()`: socat
    /// inherits the test runner's thread signal mask, in which SIGTERM is blocked.)
    func stop() {
        guard let process else { return }
        self.process = nil
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: a)
        try? FileManager.default.removeItem(atPath: b)
    }
}

struct SocatFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

// MARK: - Waiting

/// Polls `condition` every 5 ms until it holds (true) or `timeout` passes (false). The generous default is for
/// CI, where the whole suite shares 2 cores with CPU-heavy store tests; a passing wait returns at once.
func eventually(
    timeout: Duration = .seconds(60),
    _ condition: () throws -> Bool
) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try condition() { return true }
        try await Task.sleep(for: .milliseconds(5))
    }
    return try condition()
}

/// A deterministic, non-periodic byte pattern (a 32-bit LCG's high bytes), so lost, repeated or reordered
/// stretches show.
func testPattern(count: Int, seed: UInt32 = 0x1234_5678) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 1_664_525 &+ 1_013_904_223
        return UInt8(truncatingIfNeeded: state >> 24)
    }
}
