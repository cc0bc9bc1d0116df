import Synchronization

/// Flights that ended and wait for their summary, handed out in batches so one read of a link's archive
/// serves every flight of the batch.
///
/// Why not an `AsyncStream` of flights: the summary task must take what has gathered at once, and a stream
/// hands out one element per await. Bounded: beyond ``capacity`` the oldest waiting flight is dropped (as
/// the stream's `bufferingNewest` did) and counted in ``dropped``; it keeps its times, only the summary is
/// missing.
final class EndedFlightQueue: Sendable {
    struct State {
        var flights: [LiveFlightEnd] = []
        var dropped = 0
    }

    /// Most flights waiting at once.
    let capacity: Int
    let state = Mutex(State())
    /// Yields once (coalesced) whenever flights were added; ends when the consuming task is cancelled.
    let signal: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init(capacity: Int = 4096) {
        self.capacity = Swift.max(capacity, 1)
        (signal, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a flight that just ended.
    func add(_ flight: LiveFlightEnd) {
        state.withLock { s in
            if s.flights.count >= capacity {
                s.flights.removeFirst()
                s.dropped += 1
            }
            s.flights.append(flight)
        }
        continuation.yield()
    }

    /// Takes waiting flights, oldest first: at most `limit`, and no more than `spanMicroseconds` of flight
    /// time in all (each summary holds its flight's track while the batch is read), but always one when
    /// any waits.
    func take(limit: Int, spanMicroseconds: Int64 = .max) -> [LiveFlightEnd] {
        state.withLock { s in
            var n = 0
            var span: Int64 = 0
            while n < Swift.min(limit, s.flights.count) {
                let flight = s.flights[n]
                let length = flight.end >= flight.start ? flight.end &- flight.start : 0
                let (total, overflow) = span.addingReportingOverflow(length)
                if n > 0, overflow || total > spanMicroseconds { break }
                span = overflow ? .max : total
                n += 1
            }
            let taken = Array(s.flights.prefix(n))
            s.flights.removeFirst(n)
            return taken
        }
    }

    /// Flights dropped because the queue was full.
    var dropped: Int { state.withLock { $0.dropped } }
}
