import Foundation
import NIOConcurrencyHelpers

/// How a replay is timed.
public struct ReplayOptions: Sendable {
    /// Original inter-arrival times divided by this (0.1 … 100); nil sends as fast as the output takes.
    public var speed: Double?
    /// Skip this much of the source's time from its first record.
    public var startOffset: Duration = .zero
    /// Start again from the first record after the last, until cancelled.
    public var loop = false
    /// A paced replay asks for real-time priority for its thread (see `ReplayPacer`); without permission
    /// it paces at normal priority, and `ReplayProgress.pacing` says so.
    public var realtimePacing = true
    /// Frame rewriting and filtering; the identity sends the archived bytes untouched.
    public var rewrite = ReplayRewrite()

    public init(speed: Double? = 1) {
        self.speed = speed
    }
}

/// What a replay has done so far, readable while it runs (a live status line, the API).
public final class ReplayProgress: Sendable {
    public struct Snapshot: Sendable, Hashable, Codable {
        public var records = 0
        public var bytes = 0
        /// Source time of the last record sent, µs since the epoch.
        public var position: Int64?
        /// Source time of the first record replayed.
        public var start: Int64?
        /// How late the last batch went out against its schedule, µs (0 when as fast as possible).
        public var lagMicros: Int64 = 0
        /// The 99th percentile of lateness so far (µs), from a histogram of 50 µs steps.
        public var lagP99Micros: Int64 = 0
        public var loops = 0
        public var finished = false
    }

    private let state = NIOLockedValueBox(Snapshot())
    private let lateness = NIOLockedValueBox([Int](repeating: 0, count: 401))
    private let pacingState = NIOLockedValueBox<ReplayPacing?>(nil)

    public init() {}

    public var snapshot: Snapshot { state.withLockedValue { $0 } }

    /// How a paced replay's thread is scheduled (nil as fast as possible, or before it started).
    public var pacing: ReplayPacing? { pacingState.withLockedValue { $0 } }

    func setPacing(_ pacing: ReplayPacing) { pacingState.withLockedValue { $0 = pacing } }

    func update(_ body: (inout Snapshot) -> Void) { state.withLockedValue(body) }

    func recordLag(_ micros: Int64, records: Int) {
        let bin = Int(Swift.min(Swift.max(micros, 0) / 50, 400))
        let p99 = lateness.withLockedValue { histogram -> Int64 in
            histogram[bin] += records
            let total = histogram.reduce(0, +)
            var seen = 0
            for (i, n) in histogram.enumerated() {
                seen += n
                if seen * 100 >= total * 99 { return Int64(i) * 50 }
            }
            return 20_000
        }
        state.withLockedValue {
            $0.lagMicros = micros
            $0.lagP99Micros = p99
        }
    }
}

/// The priority a paced replay's thread runs at.
public enum ReplayPacing: Sendable, Hashable {
    /// Real-time (`SCHED_FIFO`): frames leave on time however busy the machine is.
    case realtime
    /// An ordinary thread, and why: a busy machine can make frames leave milliseconds late.
    case normal(String)
}

/// Steers a running replay from a terminal or the API: pause, resume, seek, stop.
public final class ReplayControl: Sendable {
    struct State {
        var paused = false
        var seek: Int64?
        var stopped = false
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    public var isPaused: Bool { state.withLockedValue { $0.paused } }
    public var isStopped: Bool { state.withLockedValue { $0.stopped } }

    public func pause() { state.withLockedValue { $0.paused = true } }
    public func resume() { state.withLockedValue { $0.paused = false } }
    public func togglePause() { state.withLockedValue { $0.paused.toggle() } }
    public func stop() { state.withLockedValue { $0.stopped = true } }

    /// Continues from source time `t` (µs since the epoch; before the first record = the start).
    public func seek(to t: Int64) { state.withLockedValue { $0.seek = t } }

    func takeSeek() -> Int64? {
        state.withLockedValue { state in
            defer { state.seek = nil }
            return state.seek
        }
    }
}

/// Sends a source's records to an output again, byte for byte, at their original pace × `speed` or as fast
/// as possible.
///
/// Records due within 200 µs of each other leave together (one `sendmmsg` for UDP); between them the replay
/// sleeps until the next is due, on a thread of its own (`ReplayPacer`). As fast as possible, records leave
/// in batches of up to 16,384 records or 1 MiB. Sources are read a run (one slab of records) at a time: no
/// allocation per record.
public struct ReplaySession: Sendable {
    public let source: ReplaySource
    public let options: ReplayOptions

    public init(source: ReplaySource, options: ReplayOptions) {
        self.source = source
        self.options = options
    }

    /// Runs until the source ends (or, with `loop`, until stopped), obeying `control` as it goes.
    public func run(
        into output: inout some SimulationOutput, progress: ReplayProgress = ReplayProgress(),
        control: ReplayControl = ReplayControl()
    ) async throws {
        guard options.speed != nil else {
            return try await run(into: &output, progress: progress, control: control, clock: ContinuousClock())
        }
        // Paced: on a thread of its own that sleeps to each due time (see `ReplayPacer`).
        let pacer = ReplayPacer(realtime: options.realtimePacing, progress: progress)
        defer { pacer.finish() }
        try await withTaskExecutorPreference(pacer.executor) {
            try await run(into: &output, progress: progress, control: control, clock: ContinuousClock(), pacer: pacer)
        }
    }

    /// The same on any clock (tests use one that jumps to each deadline, so schedules are checked exactly).
    public func run<C: Clock<Duration>>(
        into output: inout some SimulationOutput, progress: ReplayProgress, control: ReplayControl, clock: C
    ) async throws {
        try await run(into: &output, progress: progress, control: control, clock: clock, pacer: nil)
    }

    /// With a `pacer`, the replay runs on that thread and waits by blocking it.
    func run<C: Clock<Duration>>(
        into output: inout some SimulationOutput, progress: ReplayProgress, control: ReplayControl, clock: C,
        pacer: ReplayPacer?
    ) async throws {
        if let speed = options.speed, !(0.1...100).contains(speed) {
            throw ReplayError(.argument, "speed \(speed) is outside 0.1…100 (or replay as fast as possible)")
        }
        var skipTo: Int64?
        repeat {
            if let target = try await runOnce(
                into: &output, clock: clock, progress: progress, control: control, skipTo: skipTo,
                pacer: pacer
            ) {
                skipTo = target  // a seek: start the source again from there
                continue
            }
            skipTo = nil
            progress.update { $0.loops += 1 }
        } while (options.loop || skipTo != nil) && !Task.isCancelled && !control.isStopped
        try output.finish()
        progress.update { $0.finished = true }
    }

    /// One pass over the source; returns a seek target if the pass was cut short by a seek.
    func runOnce<C: Clock<Duration>>(
        into output: inout some SimulationOutput, clock: C, progress: ReplayProgress,
        control: ReplayControl, skipTo: Int64?, pacer: ReplayPacer?
    ) async throws -> Int64? {
        var batch = SimulatedBatch()
        var first: Int64?
        var wallStart = clock.now
        var offset = options.startOffset.microseconds
        var batchDue: C.Instant?
        func send() throws {
            guard !batch.isEmpty else { return }
            try output.write(batch)
            let sent = batch.count
            let bytes = batch.bytes.count
            let position = batch.timestamps.last
            if let batchDue {
                progress.recordLag(batchDue.duration(to: clock.now).microseconds, records: sent)
            }
            progress.update {
                $0.records += sent
                $0.bytes += bytes
                $0.position = position
            }
            batch.removeAll()
        }
        var sinceCheck = 255  // so the first record looks (a seek or stop given before the start)
        var rewriter = options.rewrite.isIdentity ? nil : ReplayRewriter(rewrite: options.rewrite)
        // As fast as possible, a batch is sent when it holds this many records or bytes (the output splits it
        // into `sendmmsg` calls); paced, when the next record is due more than 200 µs after the batch.
        let batchRecords = 16_384
        let batchBytes = 1 << 20
        var reader = source.runs()
        var run = ReplayRun()
        reading: while try await reader.next(into: &run) {
            for i in 0..<run.count {
                let receivedAt = run.times[i]
                // Cancellation and the controls are looked at every 256 records, or before every wait when
                // paced: each look takes locks, and at full speed a record costs well under a microsecond.
                sinceCheck += 1
                if sinceCheck >= 256 || options.speed != nil {
                    sinceCheck = 0
                    try Task.checkCancellation()
                    if control.isStopped { break reading }
                    if let target = control.takeSeek() {
                        try send()
                        return target
                    }
                }
                if sinceCheck == 0 && control.isPaused {
                    try send()
                    let pausedAt = clock.now
                    while control.isPaused && !control.isStopped && !Task.isCancelled {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    wallStart = wallStart.advanced(by: pausedAt.duration(to: clock.now))
                }
                if first == nil {
                    first = receivedAt
                    progress.update { if $0.start == nil { $0.start = receivedAt } }
                    if let skipTo { offset = Swift.max(0, skipTo - receivedAt) }
                    wallStart = clock.now
                }
                guard let t0 = first, receivedAt - t0 >= offset else { continue }
                if let speed = options.speed {
                    let sourceOffset = Double(receivedAt - t0 - offset) / speed
                    let due = wallStart.advanced(by: .microseconds(Int64(sourceOffset.rounded())))
                    if let current = batchDue, current.duration(to: due) > .microseconds(200) {
                        try send()
                        batchDue = nil
                    }
                    if batchDue == nil {
                        batchDue = due
                        if let pacer {
                            if !pacer.sleep(for: clock.now.duration(to: due), shouldStop: { control.isStopped || Task.isCancelled }) {
                                try Task.checkCancellation()
                                break reading  // stopped during a long gap
                            }
                        } else {
                            try await Self.wait(until: due, clock: clock)
                        }
                    }
                }
                let range = run.range(of: i)
                if rewriter != nil {
                    // Rewritten when due, so Unix times are shifted to the wall clock it leaves at.
                    let bytes = rewriter!.apply(Array(run.bytes[range]), receivedAt: receivedAt, now: Self.unixNow())
                    if bytes.isEmpty { continue }  // everything in it was filtered out: nothing sent
                    batch.bytes.append(contentsOf: bytes)
                } else {
                    run.bytes.withUnsafeBufferPointer { batch.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
                }
                batch.ends.append(batch.bytes.count)
                batch.timestamps.append(receivedAt)
                batch.drones.append(0)
                if options.speed == nil && (batch.count >= batchRecords || batch.bytes.count >= batchBytes) { try send() }
            }
            if options.speed != nil {
                // Paced: what is due goes out before the next run is read from the source (decompressing an
                // archive segment can take longer than the gap to the next record; 30-50 ms late frames seen).
                try send()
                batchDue = nil
            }
        }
        if let rest = rewriter?.finish(), !rest.isEmpty, let last = batch.timestamps.last ?? progress.snapshot.position {
            batch.bytes.append(contentsOf: rest)
            batch.ends.append(batch.bytes.count)
            batch.timestamps.append(last)
            batch.drones.append(0)
        }
        try send()
        return nil
    }

    /// The wall clock, µs since the Unix epoch.
    static func unixNow() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// Sleeps until `due` with a 50 µs tolerance (a replay on a test clock; real paced replays block their
    /// `ReplayPacer` instead). No spinning: a spinning task would hold a thread of the cooperative pool.
    static func wait<C: Clock<Duration>>(until due: C.Instant, clock: C) async throws {
        if clock.now < due { try await clock.sleep(until: due, tolerance: .microseconds(50)) }
    }
}

extension Duration {
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
