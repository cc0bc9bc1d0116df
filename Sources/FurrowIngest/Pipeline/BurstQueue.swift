import Synchronization

/// The bounded queue between transports (many threads) and the pipeline (one task).
///
/// Bounded by the heap bytes the bursts hold (`ReceiveBurst.footprintBytes`: allocated capacity and piece
/// records, not only the received bytes), not by bursts: a flood fills it and further bursts are refused
/// (the transport counts the drop) instead of growing memory. Counting only received bytes let 64 MiB of
/// "queue" hold ~5× that in RSS when bursts were small and reserved 4 KiB each. Each link may also hold at most `linkCapacityBytes`, so a flood on one
/// link leaves room for the others. The consumer takes everything queued at once, so a busy pipeline pays
/// one lock and one wake-up per batch of bursts.
public final class BurstQueue: ReceiveSink, Sendable {
    struct State {
        var bursts: [ReceiveBurst] = []
        var bytes = 0
        var bytesByLink: [String: Int] = [:]
        var waiter: CheckedContinuation<Void, Never>?
        var finished = false
        var highWaterBytes = 0
    }

    /// Most bytes held at once.
    public let capacityBytes: Int
    /// Most bytes one link may hold at once.
    public let linkCapacityBytes: Int
    let state = Mutex(State())

    public init(capacityBytes: Int, linkCapacityBytes: Int? = nil) {
        self.capacityBytes = Swift.max(capacityBytes, 1)
        self.linkCapacityBytes = Swift.max(linkCapacityBytes ?? capacityBytes, 1)
    }

    /// Queues a burst, or returns false (dropped) when it would exceed the capacity or the queue is finished.
    /// A burst larger than the whole capacity is still taken when the queue is empty, so nothing is refused forever.
    public func offer(_ burst: ReceiveBurst) -> Bool {
        let size = burst.footprintBytes
        let (accepted, waiter) = state.withLock { s -> (Bool, CheckedContinuation<Void, Never>?) in
            guard !s.finished, s.bursts.isEmpty || s.bytes + size <= capacityBytes else { return (false, nil) }
            let linkBytes = s.bytesByLink[burst.link, default: 0]
            guard linkBytes == 0 || linkBytes + size <= linkCapacityBytes else { return (false, nil) }
            s.bursts.append(burst)
            s.bytes += size
            s.bytesByLink[burst.link] = linkBytes + size
            s.highWaterBytes = Swift.max(s.highWaterBytes, s.bytes)
            let waiter = s.waiter
            s.waiter = nil
            return (true, waiter)
        }
        waiter?.resume()
        return accepted
    }

    /// Everything queued, waiting until there is something; nil once finished and drained, or when the task
    /// is cancelled.
    public func next() async -> [ReceiveBurst]? {
        while true {
            let taken = state.withLock { s -> [ReceiveBurst]? in
                if s.bursts.isEmpty { return s.finished ? [] : nil }
                let all = s.bursts
                s.bursts.removeAll(keepingCapacity: true)
                s.bytes = 0
                s.bytesByLink.removeAll(keepingCapacity: true)
                return all
            }
            if let taken { return taken.isEmpty ? nil : taken }
            if Task.isCancelled { return nil }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { s -> Bool in
                        if !s.bursts.isEmpty || s.finished || Task.isCancelled { return true }
                        s.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                    let waiter = s.waiter
                    s.waiter = nil
                    return waiter
                }
                waiter?.resume()
            }
        }
    }

    /// No more bursts: `next()` drains what is queued, then returns nil.
    public func finish() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.finished = true
            let waiter = s.waiter
            s.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Heap bytes the queued bursts hold now.
    public var queuedBytes: Int { state.withLock { $0.bytes } }
    /// Most bytes queued at once since the start.
    public var highWaterBytes: Int { state.withLock { $0.highWaterBytes } }
}
