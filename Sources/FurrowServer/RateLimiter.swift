import Foundation
import NIOConcurrencyHelpers

/// A token bucket per caller: `burst` requests at once, refilled at `perSecond`; a caller over it waits.
final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: Double
    }

    let perSecond: Double
    let burst: Double
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])

    init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = Swift.max(1, burst)
    }

    /// Takes one request from `key`'s bucket; nil if allowed, else the seconds until one is available.
    func take(_ key: String, now: Double = Date().timeIntervalSince1970) -> Double? {
        guard perSecond > 0 else { return nil }
        return buckets.withLockedValue { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = Swift.min(burst, bucket.tokens + (now - bucket.updated) * perSecond)
            bucket.updated = now
            defer {
                buckets[key] = bucket
                if buckets.count > 10_000 { buckets = buckets.filter { now - $0.value.updated < 60 } }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return (1 - bucket.tokens) / perSecond
        }
    }
}
