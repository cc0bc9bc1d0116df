/// How long a stream transport waits between attempts to reopen its device or reconnect: exponential,
/// from ``initial`` doubling (by ``multiplier``) up to ``maximum``.
///
/// The default waits 100 ms, 200 ms, 400 ms … and then every 5 s until the device or server is back.
///
/// ```swift
/// let backoff = ReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(5))
/// backoff.delay(afterFailures: 1)  // 100 ms
/// backoff.delay(afterFailures: 4)  // 800 ms
/// ```
public struct ReconnectBackoff: Sendable, Hashable {
    /// The wait before the first attempt after a failure or disconnect.
    public var initial: Duration
    /// The longest wait.
    public var maximum: Duration
    /// The growth factor from one wait to the next (≥ 1).
    public var multiplier: Double

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5), multiplier: Double = 2) {
        precondition(initial > .zero, "initial backoff must be positive")
        precondition(maximum >= initial, "maximum backoff must be at least the initial one")
        precondition(multiplier >= 1, "backoff multiplier must be at least 1")
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
    }

    /// The wait after `failures` consecutive failures (a disconnect counts as one): ``initial`` after the
    /// first, then growing by ``multiplier`` up to ``maximum``.
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = initial
        var remaining = max(failures, 1) - 1
        while remaining > 0 && delay < maximum {
            delay = delay * multiplier
            remaining -= 1
        }
        return min(delay, maximum)
    }
}
