import Foundation

/// Catch summaries of one insect trap from its service checks, so pest pressure is compared per trap and per day
/// whatever the service interval was (UC IPM: catch per trap per day, CTD).
///
/// Rules (research/agronomy.md §2.2):
/// - **CTD** of a check = its count ÷ days since the previous check (elapsed time ÷ 86 400 s); the first check
///   uses the time the trap was set out, and has no CTD without one.
/// - **Week**: a check belongs to the ISO week (Monday start) of its local date. Weekly catch = the counts of its
///   checks; weekly CTD = weekly catch ÷ their exposure days; weekly rate = 7 × weekly CTD.
/// - **Flight peak**: the weekly rates are smoothed with a centred 3-week moving mean (over the weeks that have a
///   rate); a run of weeks with equal smoothed rates that is above the nearest run before and after it (weeks
///   without a rate are skipped; the ends of the series count as 0) is a flight peak, reported at the run's week
///   with the highest raw rate, if that week caught something.
/// - **First sustained catch** (a biofix candidate): the first check with a catch that is followed by
///   `sustainedChecks − 1` more checks with a catch (UC IPM codling moth: "first consistent catch").
public struct TrapCatch: Sendable, Hashable, Codable {
    /// One service check: how many insects were in the trap and when.
    public struct Check: Sendable, Hashable, Codable {
        /// Local date of the check, YYYY-MM-DD.
        public var date: String
        /// Days since the previous check (or since the trap was set for the first one); nil if unknown.
        public var exposureDays: Double?
        public var count: Double

        public init(date: String, exposureDays: Double?, count: Double) {
            self.date = date
            self.exposureDays = exposureDays
            self.count = count
        }
    }

    /// A check with its derived values.
    public struct Interval: Sendable, Hashable, Codable {
        public var date: String
        public var count: Double
        public var exposureDays: Double?
        /// Catch per trap per day; nil without exposure days.
        public var ctd: Double?
        /// Sum of counts through this check.
        public var cumulative: Double
    }

    /// One ISO week from the first check's week to the last's.
    public struct Week: Sendable, Hashable, Codable {
        /// Monday of the week, YYYY-MM-DD.
        public var weekStart: String
        public var checks: Int
        public var count: Double
        public var exposureDays: Double?
        public var ctd: Double?
        /// 7 × CTD.
        public var rate: Double?
        /// Centred 3-week moving mean of `rate`.
        public var smoothed: Double?
        public var peak: Bool
    }

    public var intervals: [Interval]
    public var weeks: [Week]
    public var total: Double
    /// Date of the first check with a catch.
    public var firstCatch: String?
    /// Date of the first sustained catch (see the rules).
    public var firstSustainedCatch: String?
    public var sustainedChecks: Int

    /// Summarises checks sorted by date.
    /// - Throws: ``AgronomyError`` for a negative or non-finite count, non-positive exposure, unsorted or invalid dates.
    public init(_ checks: [Check], sustainedChecks: Int = 2) throws(AgronomyError) {
        guard sustainedChecks >= 1 else {
            throw AgronomyError(.outOfRange, field: "sustainedChecks", "sustainedChecks \(sustainedChecks) must be at least 1")
        }
        var total = 0.0
        var intervals: [Interval] = []
        for (i, c) in checks.enumerated() {
            guard c.count.isFinite, c.count >= 0 else {
                throw AgronomyError(.outOfRange, field: "count", "check \(i + 1) (\(c.date)): count \(c.count) must be a number ≥ 0")
            }
            if let e = c.exposureDays, !(e.isFinite && e > 0) {
                throw AgronomyError(.outOfRange, field: "exposureDays", "check \(i + 1) (\(c.date)): exposure \(e) days must be > 0")
            }
            guard Self.day(c.date) != nil else {
                throw AgronomyError(.inconsistent, field: "date", "check \(i + 1): \(c.date) is not a date YYYY-MM-DD")
            }
            if i > 0, c.date < checks[i - 1].date {
                throw AgronomyError(.inconsistent, field: "date", "check \(i + 1) (\(c.date)) is before check \(i) (\(checks[i - 1].date))")
            }
            total += c.count
            intervals.append(Interval(
                date: c.date, count: c.count, exposureDays: c.exposureDays, ctd: c.exposureDays.map { c.count / $0 },
                cumulative: total))
        }
        self.intervals = intervals
        self.total = total
        self.sustainedChecks = sustainedChecks
        firstCatch = checks.first { $0.count > 0 }?.date
        firstSustainedCatch = nil
        if checks.count >= sustainedChecks {
            for i in 0...(checks.count - sustainedChecks) where checks[i..<(i + sustainedChecks)].allSatisfy({ $0.count > 0 }) {
                firstSustainedCatch = checks[i].date
                break
            }
        }
        weeks = Self.weeks(checks)
    }

    static func weeks(_ checks: [Check]) -> [Week] {
        guard let first = checks.first.flatMap({ Self.day($0.date) }), let last = checks.last.flatMap({ Self.day($0.date) })
        else { return [] }
        let firstMonday = first - Self.weekday(first)
        let lastMonday = last - Self.weekday(last)
        var weeks: [Week] = []
        var monday = firstMonday
        while monday <= lastMonday {
            let inWeek = checks.filter { Self.day($0.date).map { $0 >= monday && $0 < monday + 7 } ?? false }
            let count = inWeek.reduce(0) { $0 + $1.count }
            let known = inWeek.allSatisfy { $0.exposureDays != nil }
            let exposure = known && !inWeek.isEmpty ? inWeek.reduce(0) { $0 + ($1.exposureDays ?? 0) } : nil
            let ctd = exposure.map { count / $0 }
            weeks.append(Week(
                weekStart: Self.text(monday), checks: inWeek.count, count: count, exposureDays: exposure, ctd: ctd,
                rate: ctd.map { 7 * $0 }, smoothed: nil, peak: false))
            monday += 7
        }
        for i in weeks.indices {
            let around = weeks[max(i - 1, 0)...min(i + 1, weeks.count - 1)].compactMap(\.rate)
            weeks[i].smoothed = weeks[i].rate == nil || around.isEmpty ? nil : around.reduce(0, +) / Double(around.count)
        }
        // Runs of equal smoothed rates (weeks without a rate skipped); a run higher than the nearest run before and
        // after (the series' ends count as 0) is a peak, reported at its week with the highest raw rate.
        let rated = weeks.indices.filter { weeks[$0].smoothed != nil }
        var runs: [[Int]] = []
        for i in rated {
            if let last = runs.last?.last, weeks[last].smoothed == weeks[i].smoothed { runs[runs.count - 1].append(i) } else { runs.append([i]) }
        }
        for (r, run) in runs.enumerated() {
            let value = weeks[run[0]].smoothed ?? 0
            let before = r > 0 ? weeks[runs[r - 1][0]].smoothed ?? 0 : 0
            let after = r + 1 < runs.count ? weeks[runs[r + 1][0]].smoothed ?? 0 : 0
            guard value > before, value > after,
                let best = run.max(by: { (weeks[$0].rate ?? 0) < (weeks[$1].rate ?? 0) }), weeks[best].count > 0
            else { continue }
            weeks[best].peak = true
        }
        return weeks
    }

    // MARK: - Civil dates (days since 1970-01-01)

    /// Days since 1970-01-01 of a YYYY-MM-DD date; nil if it is not a calendar date.
    public static func day(_ text: String) -> Int? {
        let p = text.split(separator: "-")
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2, let y = Int(p[0]), let m = Int(p[1]),
            let d = Int(p[2]), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        let n = daysFromCivil(y, m, d)
        return text == Self.text(n) ? n : nil
    }

    /// Monday = 0.
    static func weekday(_ day: Int) -> Int { ((day + 3) % 7 + 7) % 7 }

    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The YYYY-MM-DD date `z0` days after 1970-01-01.
    public static func text(_ z0: Int) -> String {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return String(format: "%04d-%02d-%02d", y, m, d)
    }
}
