import Logging
import Metrics
import Synchronization

/// Logs a recurring problem at most once per interval per kind (with how often it happened meanwhile), and
/// counts every occurrence: a full disk or a misconfigured sender must not flood the log one line per frame.
final class ThrottledLog: Sendable {
    struct Entry {
        var lastLogged: ContinuousClock.Instant
        var suppressed: Int
    }

    let logger: Logger
    let interval: Duration
    let entries = Mutex<[String: Entry]>([:])

    init(logger: Logger, interval: Duration = .seconds(10)) {
        self.logger = logger
        self.interval = interval
    }

    /// Reports one occurrence of `kind` (the counter `furrow_errors_total{kind}` goes up either way).
    func error(_ kind: String, _ message: @autoclosure () -> String) {
        error(kind, key: kind, message())
    }

    /// Reports one occurrence of `kind`, throttled per `key` (e.g. the kind per sensor, so one broken sensor
    /// does not silence another's report while the counter's label stays the kind alone).
    func error(_ kind: String, key: String, _ message: @autoclosure () -> String) {
        Counter(label: "furrow_errors_total", dimensions: [("kind", kind)]).increment()
        let kind = key
        let now = ContinuousClock.now
        let suppressed = entries.withLock { entries -> Int? in
            if var entry = entries[kind], now - entry.lastLogged < interval {
                entry.suppressed += 1
                entries[kind] = entry
                return nil
            }
            let suppressed = entries[kind]?.suppressed ?? 0
            entries[kind] = Entry(lastLogged: now, suppressed: 0)
            return suppressed
        }
        guard let suppressed else { return }
        let more = suppressed > 0 ? " (and \(suppressed) more since the last report)" : ""
        logger.error("\(message())\(more)", metadata: ["kind": "\(kind)"])
    }
}
