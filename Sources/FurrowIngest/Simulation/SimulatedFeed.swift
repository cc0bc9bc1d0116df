/// How fast a simulated feed goes out.
public enum SimulationPacing: Sendable, Hashable {
    /// Each frame goes out when its timestamp says, the simulated clock running `speed` times real time.
    case realTime(speed: Double)
    /// A fixed number of frames per second, in time order, whatever their timestamps say.
    case rate(Double)
    /// As fast as the output takes them.
    case asFastAsPossible
}

/// What a feed sent.
public struct SimulationReport: Sendable, Hashable {
    /// Frames handed to the output.
    public var frames = 0
    /// Their bytes.
    public var bytes = 0
    /// Frames the output gave up (a full pty, an unreachable network).
    public var dropped = 0
    /// Simulated time covered, µs.
    public var simulatedMicroseconds: Int64 = 0
    /// Wall-clock time spent.
    public var elapsed: Duration = .zero

    public init() {}

    /// Frames per second of wall-clock time.
    public var framesPerSecond: Double {
        let seconds = elapsed.seconds
        return seconds > 0 ? Double(frames) / seconds : 0
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

/// A simulated fleet's telemetry sent to an output at a pace: what `furrow simulate` runs, and what the
/// daemon runs in-process for `furrow serve --demo`.
///
/// `run` returns when the simulated time reaches `end` or when its task is cancelled (then normally, with
/// what was sent so far). Outputs make blocking system calls of a few microseconds per batch.
///
/// ```swift
/// let feed = SimulatedFeed(fleet: FleetSimulator(drones: 50, mission: .spray, seed: 1, startTime: now))
/// let task = Task { try await feed.run(toUDP: "127.0.0.1", port: 14550, speed: 1) }
/// ...
/// task.cancel()
/// ```
public struct SimulatedFeed: Sendable {
    /// The fleet in its initial state (each run starts from here).
    public var fleet: FleetSimulator
    /// Most frames handed to the output at once.
    public var batchLimit = 4096

    public init(fleet: FleetSimulator) {
        self.fleet = fleet
    }

    /// Sends the fleet's frames over UDP until the task is cancelled (or `duration` simulated seconds).
    ///
    /// - Parameters:
    ///   - speed: Simulated seconds per real second (1: real time).
    ///   - socketPerDrone: Send each drone's frames from its own socket (own source port).
    /// - Throws: `SimulationError` when the address does not resolve or sending fails for good.
    public func run(
        toUDP host: String, port: Int, speed: Double = 1, socketPerDrone: Bool = false, duration: Double? = nil
    ) async throws -> SimulationReport {
        let sender = try UDPFrameSender(
            host: host, port: port, sockets: socketPerDrone ? fleet.drones.count : 1, connected: true)
        return try await run(to: sender, pacing: .realTime(speed: speed), duration: duration)
    }

    /// Sends the fleet's frames to `output` at `pacing` until the task is cancelled or `duration` simulated
    /// seconds have been sent; then finishes the output.
    ///
    /// - Throws: `SimulationError` from the output; `.argument` for a speed or rate that is not positive.
    public func run(to output: some SimulationOutput, pacing: SimulationPacing, duration: Double? = nil) async throws
        -> SimulationReport
    {
        var output = output
        var fleet = self.fleet
        let origin = fleet.startTime
        let end = duration.map { origin + Int64($0 * 1e6) } ?? .max
        switch pacing {
        case .realTime(let speed) where !(speed > 0), .rate(let speed) where !(speed > 0):
            throw SimulationError(code: .argument, reason: "speed and rate must be positive, not \(speed)")
        default: break
        }
        var report = SimulationReport()
        var batch = SimulatedBatch()
        let clock = ContinuousClock()
        let started = clock.now
        func send() throws {
            guard !batch.isEmpty else { return }
            try output.write(batch)
            report.frames += batch.count
            report.bytes += batch.bytes.count
            batch.removeAll()
        }
        loop: while !Task.isCancelled && fleet.nextTimestamp < end {
            let now = (clock.now - started).seconds
            let wait: Double
            switch pacing {
            case .asFastAsPossible:
                fleet.fill(&batch, until: end, limit: batchLimit)
                try send()
                await Task.yield()
                continue loop
            case .realTime(let speed):
                let horizon = origin + Int64(now * speed * 1e6) + 1
                let n = fleet.fill(&batch, until: Swift.min(horizon, end), limit: batchLimit)
                try send()
                if n == batchLimit { continue loop }
                let due = Double(fleet.nextTimestamp - origin) * 1e-6 / speed
                wait = due - (clock.now - started).seconds
            case .rate(let perSecond):
                let target = Int(now * perSecond) + 1
                let n = fleet.fill(&batch, until: end, limit: Swift.min(batchLimit, target - report.frames))
                try send()
                if n == batchLimit { continue loop }
                wait = Double(report.frames + 1) / perSecond - (clock.now - started).seconds
            }
            if wait > 0 {
                do {
                    try await Task.sleep(for: .seconds(Swift.min(wait, 0.05)))
                } catch {
                    break loop  // cancelled
                }
            } else {
                await Task.yield()  // behind schedule: catch up, but let other tasks of the pool run
            }
        }
        try output.finish()
        report.dropped = output.framesDropped
        report.simulatedMicroseconds = Swift.min(fleet.nextTimestamp, end) - origin
        report.elapsed = clock.now - started
        return report
    }
}

extension FleetSimulator {
    /// Generates every frame sent before `end`, in batches of `framesPerBatch`: to send later as fast as
    /// an output goes, without generation in the way.
    public mutating func batches(until end: Int64, framesPerBatch: Int = 1024) -> [SimulatedBatch] {
        var out: [SimulatedBatch] = []
        while nextTimestamp < end {
            var batch = SimulatedBatch()
            batch.bytes.reserveCapacity(framesPerBatch * 48)
            batch.ends.reserveCapacity(framesPerBatch)
            batch.timestamps.reserveCapacity(framesPerBatch)
            batch.drones.reserveCapacity(framesPerBatch)
            fill(&batch, until: end, limit: framesPerBatch)
            out.append(batch)
        }
        return out
    }
}
