import Foundation
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Threads of our own that run the jobs of tasks preferring them, so work that blocks (a replay's timed
/// sleeps) or should yield to the API (ingest) stays off Swift's cooperative pool.
///
/// Run work on it with `withTaskExecutorPreference(executor) { … }`: child tasks inherit the preference and
/// default actors (the store) run their code for those tasks on these threads too. Jobs run in the order they
/// were enqueued; the threads end once `finish()` was called and the queue is empty.
public final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0
    private var finishing = false

    /// `onStart` runs first on each thread (its priority, say).
    public init(name: String, threads: Int, onStart: @escaping @Sendable () -> Void = {}) {
        for index in 0..<Swift.max(1, threads) {
            let thread = Thread { [self] in
                onStart()
                work()
            }
            thread.name = threads > 1 ? "\(name)-\(index)" : name
            thread.start()
        }
    }

    /// Threads at a lower CPU priority for work that can wait a few milliseconds (decoding and storing
    /// telemetry, importing uploaded logs), so the HTTP API, on Swift's default pool, gets the cores first when
    /// both want them. `niceness` is added to the threads' nice value (0 = same as the rest, 19 = lowest).
    public static func background(name: String, threads: Int, niceness: Int32) -> ThreadExecutor {
        ThreadExecutor(name: name, threads: threads) {
            #if os(Linux)
            // On Linux PRIO_PROCESS with id 0 names the calling thread; raising one's own nice needs no
            // privilege. Not called at 0: a systemd unit's `SystemCallFilter=~@resources` forbids setpriority.
            if niceness != 0 && setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) != 0 {
                let reason = String(cString: strerror(errno))
                FileHandle.standardError.write(Data(
                    "furrow: ingest_niceness \(niceness) not applied to \(Thread.current.name ?? "a thread"): \(reason)\n".utf8))
            }
            #endif
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads end once they have run what is queued.
    public func finish() {
        condition.lock()
        finishing = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while next == jobs.count && !finishing { condition.wait() }
            guard next < jobs.count else {
                condition.unlock()
                return
            }
            let job = jobs[next]
            next += 1
            if next == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                next = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// Runs a service's work on an executor of its own (see `ThreadExecutor.background`).
public struct ServiceOnExecutor<Wrapped: Service>: Service {
    let service: Wrapped
    let executor: any TaskExecutor

    public init(_ service: Wrapped, executor: any TaskExecutor) {
        self.service = service
        self.executor = executor
    }

    public func run() async throws {
        try await withTaskExecutorPreference(executor) {
            try await service.run()
        }
    }
}
