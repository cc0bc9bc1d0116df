import Foundation

/// A calendar day in a field's local time and the instants it spans (23 or 25 hours on DST change days).
public struct LocalDay: Sendable, Hashable {
    /// YYYY-MM-DD in local time.
    public var date: String
    public var dayOfYear: Int
    /// First instant of the day, µs since the epoch.
    public var start: Int64
    /// First instant of the next day, µs since the epoch.
    public var end: Int64

    /// Length of the day, seconds.
    public var seconds: Double { Double(end - start) / 1e6 }

    /// Consecutive local days `first`…`last` (inclusive) in `timeZone`; nil if a date is not a calendar date.
    public static func days(from first: String, through last: String, timeZone: TimeZone) -> [LocalDay]? {
        guard let a = FieldCatalog.parseDate(first), let b = FieldCatalog.parseDate(last) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard var day = calendar.date(from: a), let lastDay = calendar.date(from: b) else { return nil }
        var out: [LocalDay] = []
        while day <= lastDay {
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            let c = calendar.dateComponents([.year, .month, .day], from: day)
            let doy = calendar.ordinality(of: .day, in: .year, for: day) ?? 1
            out.append(LocalDay(
                date: String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0), dayOfYear: doy,
                start: Int64((day.timeIntervalSince1970 * 1e6).rounded()),
                end: Int64((next.timeIntervalSince1970 * 1e6).rounded())))
            day = next
        }
        return out
    }
}

/// What a series measures: its physically possible range and the jump that makes a lone sample a spike.
public enum MeasuredQuantity: String, Sendable, Hashable, CaseIterable {
    case temperature, relativeHumidity, windSpeed, solarRadiation, sunshine, rain
    /// A station's daily minimum or maximum temperature: one sample a day, so day-to-day swings are not spikes.
    case dailyTemperature
    case moisturePercent, moistureFraction, volume, flow

    /// Values outside are impossible and excluded.
    public var validRange: ClosedRange<Double> {
        switch self {
        case .temperature, .dailyTemperature: -60...60
        case .relativeHumidity: 0...100
        case .windSpeed: 0...75
        case .solarRadiation: 0...1400
        case .sunshine: 0...24
        case .rain: 0...500
        case .moisturePercent: 0...100
        case .moistureFraction: 0...1
        case .volume, .flow: 0...Double.greatestFiniteMagnitude
        }
    }

    /// A sample further than this from both neighbours, on the same side, is a spike (nil: never).
    public var spikeJump: Double? {
        switch self {
        case .temperature: 10
        case .relativeHumidity: 45
        case .moisturePercent: 15
        case .moistureFraction: 0.15
        default: nil
        }
    }

    var unit: String {
        switch self {
        case .temperature, .dailyTemperature: "°C"
        case .relativeHumidity, .moisturePercent: "%"
        case .windSpeed: "m/s"
        case .solarRadiation: "W/m²"
        case .sunshine: "h"
        case .rain: "mm"
        case .moistureFraction: "m³/m³"
        case .volume, .flow: ""
        }
    }
}

/// Samples of one day that were excluded, or a day that is incomplete, with the reason.
public struct QualityFlag: Sendable, Hashable, Codable {
    /// The input (`temperature`, `relativeHumidity`, `probe:0.3`…).
    public var input: String
    /// `out-of-range`, `spike`, `tmin-above-tmax`, `partial`, `incomplete`, `series-not-found`, `not-configured`.
    public var reason: String
    /// Samples concerned (0 for whole-day flags).
    public var count: Int
    public var detail: String
}

/// One series' statistics over one local day, from the samples that passed the checks.
public struct DailyStatistic: Sendable, Hashable {
    /// Share of the day covered by valid samples, 0…1 (each sample covers the series' interval, up to the next).
    public var coverage: Double
    /// Valid samples in the day.
    public var count: Int
    /// Time-weighted mean, minimum, maximum and plain sum of the valid samples.
    public var mean: Double?
    public var minimum: Double?
    public var maximum: Double?
    public var sum: Double
    /// Σ value × covered seconds (a rate's integral).
    public var integral: Double
    /// Samples excluded on this day.
    public var flags: [QualityFlag]
}

/// Daily statistics of irregular samples in local days: impossible values and spikes are excluded with their
/// reason, and each day says how much of it the remaining samples cover — nothing is interpolated.
public struct DailyAggregator: Sendable {
    public var days: [LocalDay]

    public init(days: [LocalDay]) { self.days = days }

    /// The series' nominal sampling interval: the median spacing, 1 s…3 h (1 h with fewer than two samples).
    public static func nominalInterval(_ times: [Int64]) -> Int64 {
        var gaps: [Int64] = []
        gaps.reserveCapacity(times.count)
        for i in 1..<max(times.count, 1) where times[i] > times[i - 1] { gaps.append(times[i] - times[i - 1]) }
        guard !gaps.isEmpty else { return 3_600_000_000 }
        gaps.sort()
        return min(max(gaps[gaps.count / 2], 1_000_000), 10_800_000_000)
    }

    /// Statistics per day of `days` (same order) for samples sorted by time.
    public func aggregate(times: [Int64], values: [Double], quantity: MeasuredQuantity, input: String) -> [DailyStatistic] {
        let n = min(times.count, values.count)
        let interval = Self.nominalInterval(Array(times.prefix(n)))
        // 1. Impossible values.
        var valid = [Bool](repeating: true, count: n)
        var reasons = [String?](repeating: nil, count: n)
        let range = quantity.validRange
        for i in 0..<n where !(values[i].isFinite && range.contains(values[i])) {
            valid[i] = false
            reasons[i] = "out-of-range"
        }
        // 2. Spikes among the remaining samples: far from both neighbours, on the same side.
        if let jump = quantity.spikeJump {
            let kept = (0..<n).filter { valid[$0] }
            if kept.count >= 3 {
                for k in 1..<(kept.count - 1) {
                    let i = kept[k]
                    let before = values[i] - values[kept[k - 1]]
                    let after = values[i] - values[kept[k + 1]]
                    if abs(before) > jump && abs(after) > jump && (before > 0) == (after > 0) {
                        valid[i] = false
                        reasons[i] = "spike"
                    }
                }
            }
        }
        // 3. Per day.
        var nextValid = [Int64?](repeating: nil, count: n)
        var upcoming: Int64?
        for i in stride(from: n - 1, through: 0, by: -1) {
            nextValid[i] = upcoming
            if valid[i] { upcoming = times[i] }
        }
        var out: [DailyStatistic] = []
        var lower = 0
        for day in days {
            while lower < n && times[lower] < day.start { lower += 1 }
            var i = lower
            var covered = 0.0
            var weighted = 0.0
            var sum = 0.0
            var count = 0
            var lo: Double?
            var hi: Double?
            var excluded: [String: (count: Int, first: String)] = [:]
            while i < n && times[i] < day.end {
                if valid[i] {
                    let until = min(times[i] + interval, nextValid[i] ?? Int64.max, day.end)
                    let w = Double(max(until - times[i], 0)) / 1e6
                    covered += w
                    weighted += values[i] * w
                    sum += values[i]
                    count += 1
                    lo = min(lo ?? values[i], values[i])
                    hi = max(hi ?? values[i], values[i])
                } else if let reason = reasons[i] {
                    let text = "\(values[i]) \(quantity.unit) at \(StoreTimeText.format(times[i]))"
                    if let e = excluded[reason] {
                        excluded[reason] = (e.count + 1, e.first)
                    } else {
                        excluded[reason] = (1, text)
                    }
                }
                i += 1
            }
            let flags = excluded.sorted { $0.key < $1.key }.map { reason, e in
                QualityFlag(
                    input: input, reason: reason, count: e.count,
                    detail: reason == "spike"
                        ? "excluded \(e.count) sample(s) jumping more than \(quantity.spikeJump ?? 0) \(quantity.unit) from both neighbours (first: \(e.first))"
                        : "excluded \(e.count) sample(s) outside \(range.lowerBound)…\(range.upperBound) \(quantity.unit) (first: \(e.first))")
            }
            out.append(DailyStatistic(
                coverage: min(covered / day.seconds, 1), count: count, mean: covered > 0 ? weighted / covered : nil,
                minimum: lo, maximum: hi, sum: sum, integral: weighted, flags: flags))
        }
        return out
    }
}

/// RFC 3339 UTC text of µs timestamps (kept here so the aggregation needs only Foundation).
enum StoreTimeText {
    static func format(_ micros: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(micros) / 1e6)
        return date.formatted(.iso8601)
    }
}
