import Foundation
import Testing

@testable import FurrowIngest

/// An output that keeps what it was given and, with a clock, when.
final class RecordingOutput: SimulationOutput {
    var frames: [[UInt8]] = []
    var times: [Duration] = []
    let now: () -> Duration
    var framesDropped: Int { 0 }

    init(now: @escaping () -> Duration = { .zero }) {
        self.now = now
    }

    func write(_ batch: SimulatedBatch) throws(SimulationError) {
        for i in 0..<batch.count {
            frames.append(Array(batch.bytes[batch.range(of: i)]))
            times.append(now())
        }
    }
    func finish() throws(SimulationError) {}
}

/// A clock that jumps to every deadline at once: schedules are checked exactly, whatever the machine's load.
final class JumpClock: Clock, @unchecked Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private let lock = NSLock()
    private var current = Instant(offset: .zero)
    var now: Instant { lock.withLock { current } }
    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        lock.withLock { if deadline > current { current = deadline } }
    }
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

    @Test("at 10x each frame leaves at a tenth of its original offset (within the 200 µs batching window)")
    func speed() async throws {
        let (path, frames) = try tlog()
        let clock = JumpClock()
        var output = RecordingOutput { clock.now.offset }
        try await ReplaySession(source: .tlog(path: path), options: ReplayOptions(speed: 10)).run(
            into: &output, progress: ReplayProgress(), control: ReplayControl(), clock: clock)
        #expect(output.frames == frames.map(\.bytes))
        for (frame, sent) in zip(frames, output.times) {
            let due = Duration.microseconds(Double(frame.timestamp - frames[0].timestamp) / 10)
            #expect(sent <= due + .microseconds(1) && due - sent <= .microseconds(201), "due \(due), sent \(sent)")
        }
        #expect(output.times.last! > .milliseconds(250), "a 3 s log at 10x spans about 0.3 s")
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

    @Test("paced on a thread of its own: a stop during a long gap ends the replay at once; the thread's priority is reported")
    func pacingThread() async throws {
        let (_, frames) = try tlog()
        // Ten frames at their own times, then one a minute later.
        var batch = SimulatedBatch()
        for (i, frame) in frames.prefix(11).enumerated() {
            batch.bytes.append(contentsOf: frame.bytes)
            batch.ends.append(batch.bytes.count)
            batch.timestamps.append(i < 10 ? frame.timestamp : frame.timestamp + 60_000_000)
            batch.drones.append(0)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gap-\(UUID()).tlog").path
        let writer = try TlogFileWriter(path: path)
        try writer.write(batch)
        try writer.finish()

        for realtime in [true, false] {
            var options = ReplayOptions(speed: 1)
            options.realtimePacing = realtime
            let session = ReplaySession(source: .tlog(path: path), options: options)
            let control = ReplayControl()
            let progress = ReplayProgress()
            let clock = ContinuousClock()
            let started = clock.now
            let task = Task {
                var output = RecordingOutput()
                try await session.run(into: &output, progress: progress, control: control)
                return output.frames
            }
            try await Task.sleep(for: .milliseconds(800))
            control.stop()
            let sent = try await task.value
            #expect(started.duration(to: clock.now) < .seconds(5), "stopped within a 60 s gap, not after it")
            #expect(sent == frames.prefix(10).map(\.bytes))
            switch progress.pacing {
            case .realtime: #expect(realtime, "real-time only when asked for")
            case .normal(let reason): #expect(!reason.isEmpty)
            case nil: Issue.record("a paced replay reports its thread's priority")
            }
        }
    }

    @Test("a source read run by run (one slab per chunk) and record by record gives the same records")
    func runs() async throws {
        let (path, frames) = try tlog()
        var reader = ReplaySource.tlog(path: path).runs()
        var run = ReplayRun()
        var fromRuns: [[UInt8]] = []
        var times: [Int64] = []
        while try await reader.next(into: &run) {
            for i in 0..<run.count {
                fromRuns.append(Array(run.bytes[run.range(of: i)]))
                times.append(run.times[i])
            }
        }
        #expect(fromRuns == frames.map(\.bytes))
        // A .tlog keeps MAVProxy's link number in the timestamp's low 2 bits; the reader clears them.
        #expect(times == frames.map { $0.timestamp & ~3 })
        var one: [[UInt8]] = []
        for try await record in ReplaySource.tlog(path: path).records() { one.append(record.bytes) }
        #expect(one == fromRuns)
    }

    @Test("coalesced UDP: datagrams of whole frames up to the limit, the byte stream unchanged", arguments: [0, 300, 1400])
    func coalescedUDP(limit: Int) async throws {
        let (path, frames) = try tlog()
        let receiver = try LoopbackReceiver()
        var output = try UDPFrameSender(host: "127.0.0.1", port: receiver.port)
        output.coalesceBytes = limit
        let progress = ReplayProgress()
        try await ReplaySession(source: .tlog(path: path), options: ReplayOptions(speed: nil)).run(
            into: &output, progress: progress)
        let datagrams = receiver.drain().map(\.bytes)
        #expect(progress.snapshot.records == frames.count)
        #expect(datagrams.flatMap { $0 } == frames.flatMap(\.bytes))
        #expect(output.datagramsSent == datagrams.count)
        if limit == 0 {
            #expect(datagrams == frames.map(\.bytes))
            return
        }
        #expect(datagrams.allSatisfy { $0.count <= limit })
        // Cut only between frames, and greedily: a datagram ends where the next frame would not fit.
        var ends: Set<Int> = []
        var offset = 0
        for frame in frames {
            offset += frame.bytes.count
            ends.insert(offset)
        }
        offset = 0
        var k = 0
        for (n, datagram) in datagrams.enumerated() {
            offset += datagram.count
            #expect(ends.contains(offset))
            var size = 0
            while size < datagram.count {
                size += frames[k].bytes.count
                k += 1
            }
            if n < datagrams.count - 1 { #expect(datagram.count + frames[k].bytes.count > limit) }
        }
        #expect(datagrams.count < frames.count / 3)
    }
}
