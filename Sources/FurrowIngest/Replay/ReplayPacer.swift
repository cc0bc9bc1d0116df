import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A thread of its own for one paced replay, so a frame leaves when it is due and not when a shared thread
/// gets round to it.
///
/// Swift's `Task.sleep` wakes a task through Dispatch's timer thread and then a thread of the cooperative
/// pool: two wake-ups, each of which a busy machine can delay by milliseconds (a 1× replay's p99 lateness
/// was 2–11 ms at load 6–7 on the 2 cores here). On this thread the replay sleeps with one absolute
/// `clock_nanosleep`, and blocking it holds up nothing else. Where it is allowed the thread also runs at
/// real-time priority, so a busy machine does not make it wait for a core when it wakes: at load 6–9 here
/// that took the p99 lateness to 0.1–1.5 ms (an ordinary thread at nice -10 did not help).
///
/// The replay runs on `executor` (`withTaskExecutorPreference`); `sleep(for:shouldStop:)` must be called
/// there.
final class ReplayPacer: Sendable {
    let executor: ThreadExecutor
    private let state: State

    /// What the pacing thread knows about itself; made before the thread starts, used only on it.
    private final class State: @unchecked Sendable {
        let progress: ReplayProgress?
        var isRealtime = false
        var thread: pthread_t?

        init(progress: ReplayProgress?) {
            self.progress = progress
        }

        func report(_ pacing: ReplayPacing) {
            isRealtime = pacing == .realtime
            progress?.setPacing(pacing)
        }
    }

    /// `realtime`: ask for real-time priority (see `raisePriority`); what was granted goes to `progress`.
    init(realtime: Bool, progress: ReplayProgress?) {
        let state = State(progress: progress)
        self.state = state
        executor = ThreadExecutor(name: "furrow-replay-pacer", threads: 1) {
            state.thread = pthread_self()
            state.report(realtime ? Self.raisePriority() : .normal("real-time pacing not asked for"))
        }
    }

    /// Lets the thread end once the replay is done with it.
    func finish() { executor.finish() }

    /// Asks for `SCHED_FIFO` priority 1 for the calling thread: above every ordinary process, below the
    /// kernel's own real-time threads. Needs root, `CAP_SYS_NICE` or an `RLIMIT_RTPRIO` (`ulimit -r`) ≥ 1.
    private static func raisePriority() -> ReplayPacing {
        #if os(Linux)
        var parameters = sched_param(sched_priority: 1)
        if sched_setscheduler(0, SCHED_FIFO, &parameters) == 0 { return .realtime }
        return .normal("no permission for real-time priority (SCHED_FIFO: root, CAP_SYS_NICE or `ulimit -r 1`)")
        #else
        return .normal("real-time pacing is only implemented on Linux")
        #endif
    }

    /// Back to an ordinary thread: a replay that cannot keep its schedule would otherwise hold a core.
    private static func lowerPriority() {
        #if os(Linux)
        var parameters = sched_param(sched_priority: 0)
        _ = sched_setscheduler(0, SCHED_OTHER, &parameters)
        #endif
    }

    /// How far behind its schedule a real-time replay may fall before it turns ordinary.
    static let behindLimit = Duration.milliseconds(200)

    /// Blocks the pacing thread until `remaining` has passed; false if `shouldStop` ended the wait. A
    /// real-time thread more than `behindLimit` behind its schedule turns ordinary.
    func sleep(for remaining: Duration, shouldStop: () -> Bool) -> Bool {
        assert(state.thread.map { pthread_equal($0, pthread_self()) != 0 } == true, "a replay paces on its own thread")
        if remaining < .zero {
            if state.isRealtime && .zero - remaining > Self.behindLimit {
                Self.lowerPriority()
                state.report(.normal("fell more than \(Self.behindLimit) behind its schedule: real-time priority dropped"))
            }
            return true
        }
        return Self.sleep(for: remaining, shouldStop: shouldStop)
    }

    /// Blocks the calling thread until `remaining` has passed, in slices of at most `slice` so that
    /// `shouldStop` is looked at while a long gap passes; false if it stopped the wait.
    static func sleep(for remaining: Duration, slice: Duration = .milliseconds(20), shouldStop: () -> Bool) -> Bool {
        #if os(Linux)
        let target = monotonicNanoseconds() + nanoseconds(remaining)
        while true {
            let now = monotonicNanoseconds()
            if now >= target { return true }
            if shouldStop() { return false }
            // Absolute: a signal or a late wake-up does not add the time already slept again.
            sleep(untilMonotonic: Swift.min(target, now + nanoseconds(slice)))
        }
        #else
        Thread.sleep(forTimeInterval: Double(nanoseconds(remaining)) / 1e9)
        return !shouldStop()
        #endif
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    #if os(Linux)
    // `timespec`'s fields are ambiguous between the Glibc and Dispatch clang modules under
    // MemberImportVisibility, so it is read and written as what it is on 64-bit Linux: two Int64.

    /// CLOCK_MONOTONIC in ns.
    static func monotonicNanoseconds() -> Int64 {
        withTimespec { spec, raw in
            clock_gettime(CLOCK_MONOTONIC, spec)
            return raw.load(as: Int64.self) * 1_000_000_000 + raw.load(fromByteOffset: 8, as: Int64.self)
        }
    }

    /// Sleeps until CLOCK_MONOTONIC reads `t` ns.
    static func sleep(untilMonotonic t: Int64) {
        withTimespec { spec, raw in
            raw.storeBytes(of: t / 1_000_000_000, as: Int64.self)
            raw.storeBytes(of: t % 1_000_000_000, toByteOffset: 8, as: Int64.self)
            while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, spec, nil) == EINTR {}
        }
    }

    private static func withTimespec<R>(_ body: (UnsafeMutablePointer<timespec>, UnsafeMutableRawPointer) -> R) -> R {
        precondition(MemoryLayout<timespec>.size == 16, "timespec is two 64-bit fields on this platform")
        return withUnsafeTemporaryAllocation(byteCount: 16, alignment: 8) { buffer in
            let raw = buffer.baseAddress!
            return body(raw.bindMemory(to: timespec.self, capacity: 1), raw)
        }
    }
    #endif
}
