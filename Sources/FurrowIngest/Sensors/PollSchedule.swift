/// When each of a bus's devices is due: every device on its own interval, one request at a time on the bus.
///
/// A device whose poll overran its interval is next due one interval after the overrun ends (no burst of
/// catch-up polls); the first polls are spread over the first interval's first second so a bus of ten
/// sensors does not start with ten back-to-back requests at the same instant.
struct PollSchedule: Sendable {
    private var due: [ContinuousClock.Instant]
    let intervals: [Duration]

    init(intervals: [Duration], start: ContinuousClock.Instant = .now) {
        self.intervals = intervals
        let stagger = intervals.isEmpty ? Duration.zero : Duration.milliseconds(100)
        due = intervals.indices.map { start + stagger * $0 }
    }

    /// The device due next and when.
    var next: (index: Int, at: ContinuousClock.Instant)? {
        guard let index = due.indices.min(by: { due[$0] < due[$1] }) else { return nil }
        return (index, due[index])
    }

    /// Every device due by `time`, soonest first.
    func due(by time: ContinuousClock.Instant) -> [Int] {
        due.indices.filter { due[$0] <= time }.sorted { due[$0] < due[$1] }
    }

    /// Records that device `index` was polled, finishing at `now`.
    mutating func polled(_ index: Int, now: ContinuousClock.Instant = .now) {
        let planned = due[index] + intervals[index]
        due[index] = planned > now ? planned : now + intervals[index]
    }
}
