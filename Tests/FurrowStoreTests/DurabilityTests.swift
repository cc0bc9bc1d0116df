import Foundation
import GRDB
import Testing

@testable import FurrowStore

/// The durability contract, with a real process and a real kill: `furrow import` reads line protocol from a
/// pipe and is killed with SIGKILL mid-stream; the database must open clean and hold every value that was
/// written more than one flush interval (plus scheduling slack) before the kill.
@Suite("Store durability")
struct DurabilityTests {
    /// `.build/debug/furrow`, built by `swift build --build-tests` (the README's test command builds it).
    static var furrowBinary: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/furrow")
    }

    @Test("kill -9 loses at most the last flush interval and never corrupts the database")
    func killNine() async throws {
        let binary = Self.furrowBinary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build furrow first: \(binary.path)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-kill-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path

        let flushMilliseconds = 200
        let process = Process()
        process.executableURL = binary
        process.arguments = [
            "import", "-", "--db", path, "--project", "durability", "--precision", "us",
            "--flush-interval-ms", "\(flushMilliseconds)",
        ]
        let input = Pipe()
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()

        // 40 batches of 50 rows, one batch every 40 ms; remember when each row was handed to the pipe.
        var sent: [(timestamp: Int64, at: ContinuousClock.Instant)] = []
        var t: Int64 = 1_700_000_000_000_000
        for batch in 0..<40 {
            var text = ""
            for i in 0..<50 {
                t += 20_000
                text += "gps,source=drone-1 lat=\(batch * 50 + i)i,ok=true \(t)\n"
                sent.append((t, .now))
            }
            input.fileHandleForWriting.write(Data(text.utf8))
            try await Task.sleep(for: .milliseconds(40))
        }
        let killedAt = ContinuousClock.now
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        // The database opens clean ...
        let pool = try DatabasePool(path: path)
        let integrity = try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
        // ... and holds a prefix of what was sent that reaches back to at most flush interval + slack before the kill.
        let store = try TimeSeriesStore(path: path)
        let key = StoreSeriesKey(group: StoreGroupKey(project: "durability", source: "drone-1", name: "gps"), channel: "lat")
        let stored = try await store.readAll(key, in: .min..<Int64.max)
        #expect(stored.skipped.isEmpty)
        let prefix = sent.prefix(stored.timestamps.count).map(\.timestamp)
        #expect(stored.timestamps == Array(prefix), "stored rows are not a prefix of the sent rows")
        let slack = Duration.milliseconds(2 * flushMilliseconds + 300)
        let mustHave = sent.filter { killedAt - $0.at > slack }.count
        #expect(stored.timestamps.count >= mustHave, "\(stored.timestamps.count) rows survived, \(mustHave) were older than \(slack)")
        #expect(mustHave > 0)
    }
}
