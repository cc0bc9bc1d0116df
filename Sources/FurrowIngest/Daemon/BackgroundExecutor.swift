import Foundation
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Threads at a lower CPU priority for work that can wait a few milliseconds (decoding and storing telemetry,
/// importing uploaded logs), so the HTTP API, on Swift's default pool, gets the cores first when both want them.
///
/// Run work on it with `withTaskExecutorPreference(executor) { … }`: child tasks inherit the preference and
/// default actors (the store) run their code for those tasks on these threads too. The threads live as long
/// as the process (the daemon's executor is made once).
public final class BackgroundExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0

    /// `niceness` is added to the threads' nice value (Linux: per thread; 0 = same as the rest, 19 = lowest).
    public init(name: String, threads: Int, niceness: Int32) {
        for index in 0..<Swift.max(1, threads) {
            let thread = Thread { [self] in work(niceness: niceness) }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work(niceness: Int32) {
        #if os(Linux)
        // On Linux PRIO_PROCESS with id 0 names the calling thread; raising one's own nice needs no privilege.
        // Not called at 0: a systemd unit's `SystemCallFilter=~@resources` forbids setpriority.
        if niceness != 0 && setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) != 0 {
            let reason = String(cString: strerror(errno))
            FileHandle.standardError.write(Data("furrow: ingest_niceness \(niceness) not applied to \(Thread.current.name ?? "a thread"): \(reason)\n".utf8))
        }
        #endif
        while true {
            condition.lock()
            while next == jobs.count { condition.wait() }
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

/// Runs a service's work on an executor of its own (see `BackgroundExecutor`).
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
