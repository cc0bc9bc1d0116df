import Foundation
import Testing

@testable import FurrowIngest

/// An output that keeps what it was given and when.
final class RecordingOutput: SimulationOutput {
    var frames: [[UInt8]] = []
    var arrivals: [ContinuousClock.Instant] = []
    var framesDropped: Int { 0 }
    func write(_ batch: SimulatedBatch) throws(SimulationError) {
        for i in 0..<batch.count {
            frames.append(Array(batch.bytes[batch.range(of: i)]))
            arrivals.append(.now)
        }
    }
    func finish() throws(SimulationError) {}
}

@Suite("Replay session")
struct ReplaySessionTests {
    /// A .tlog of one simulated drone, 3 s (≈150 frames), and its frames.
    func tlog() throws -> (String, [SimulatedFrame]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID()).tlog").path
        var fleet = FleetSimulator(drones: 1, mission: .survey, seed: 5, startTime: 1_750_000_000_000_000, staggered: false)
        var batch = SimulatedBatch()
        _ = fleet.fill(&batch, until: 1_750_000_003_000_000)
        let writer = try TlogFileWriter(path: path)
        try writer.write(batch)
        try writer.finish()
        return (path, (0..<batch.count).map { batch.frame($0) })
    }

    @Test("as fast as possible: every frame, in order, byte for byte")
    func everyFrame() async throws {
        let (path, frames) = try tlog()
        var output = RecordingOutput()
        let progress = ReplayProgress()
        try await ReplaySession(source: .tlog(path: path), options: ReplayOptions(speed: nil)).run(
            into: &output, progress: progress)
        #expect(output.frames == frames.map(\.bytes))
        #expect(progress.snapshot.records == frames.count && progress.snapshot.finished)
    }

    @Test("at 10x the gaps are a tenth of the originals")
    func speed() async throws {
        let (path, frames) = try tlog()
        var output = RecordingOutput()
        try await ReplaySession(source: .tlog(path: path), options: ReplayOptions(speed: 10)).run(into: &output)
        #expect(output.frames.count == frames.count)
        let original = Double(frames.last!.timestamp - frames[0].timestamp) / 1e6 / 10
        let replayed = output.arrivals.last! - output.arrivals[0]
        let seconds = Double(replayed.components.seconds) + Double(replayed.components.attoseconds) / 1e18
        #expect(abs(seconds - original) < 0.05, "replayed in \(seconds) s, expected \(original) s")
    }

    @Test("a seek skips ahead, pause holds the output, stop ends it")
    func control() async throws {
        let (path, frames) = try tlog()
        let control = ReplayControl()
        let progress = ReplayProgress()
        control.seek(to: frames[0].timestamp + 2_000_000)
        var output = RecordingOutput()
        try await ReplaySession(source: .tlog(path: path), options: ReplayOptions(speed: nil)).run(
            into: &output, progress: progress, control: control)
        let expected = frames.filter { $0.timestamp - frames[0].timestamp >= 2_000_000 }.map(\.bytes)
        #expect(output.frames == expected)

        let paused = ReplayControl()
        paused.pause()
        let heldProgress = ReplayProgress()
        let session = ReplaySession(source: .tlog(path: path), options: ReplayOptions(speed: 1))
        let task = Task {
            var output = RecordingOutput()
            try await session.run(into: &output, progress: heldProgress, control: paused)
            return output.frames.count
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(heldProgress.snapshot.records == 0)
        paused.resume()
        try await Task.sleep(for: .milliseconds(100))
        paused.stop()
        let sent = try await task.value
        #expect(sent > 0 && sent < frames.count, "resumed for 0.1 s of a 3 s log at 1x: \(sent) of \(frames.count)")
    }
}
