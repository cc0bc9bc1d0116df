import FurrowStore

/// The three queries of issue 3 (plus the day-long raw read research/tsdb.md timed as its Q3), on ranges
/// taken from the dataset, with the answers computed from the in-memory data as the reference.
struct Queries: Sendable {
    struct Spec: Sendable, Codable {
        var name: String
        var description: String
        /// The series (group key description + channel) queried.
        var series: [String]
        var from: Int64
        var to: Int64
        /// Bucket width in µs, nil for a raw read.
        var width: Int64?
        /// Values the query covers.
        var values: Int
        /// Result rows (buckets) or values returned.
        var resultRows: Int
    }

    struct Target: Sendable {
        let spec: Spec
        let keys: [StoreSeriesKey]
        /// SQLite-baseline series ids, same order as `keys`.
        let ids: [Int64]
        let range: Range<Int64>
        let reference: QueryAnswer
    }

    let targets: [Target]

    init(_ dataset: Dataset) {
        let ids = IngestSchedule.firstSeries(dataset)
        func locate(_ key: StoreGroupKey, _ channel: String) -> (StoreSeriesKey, Int64, BenchGroup, Int) {
            let g = dataset.groups.firstIndex { $0.key == key }!
            let group = dataset.groups[g]
            let c = group.channels.firstIndex { $0.name == channel }!
            return (StoreSeriesKey(group: key, channel: channel), ids[g] + Int64(c), group, c)
        }
        let flight = dataset.flights[0]
        let attitude = StoreGroupKey(
            project: Dataset.project, source: flight.source, name: "ATTITUDE",
            tags: dataset.groups.first { $0.key.source == flight.source }!.key.tags)
        let (roll, rollID, rollGroup, rollColumn) = locate(attitude, "roll")
        let minute: Int64 = 60_000_000
        let hourStart = flight.sorties[0].lowerBound
        let hour = hourStart..<(hourStart + 3_600_000_000)
        let all = Dataset.firstDay..<(Dataset.firstDay + Int64(dataset.days) * Dataset.day)
        let soil = dataset.nodes.map { locate($0, "temp_10") }

        func raw(_ group: BenchGroup, _ c: Int, _ range: Range<Int64>) -> QueryAnswer {
            var answer = RawAnswer()
            let values = group.columns[c].doubles
            for (t, v) in zip(group.timestamps, values) where range.contains(t) { answer.add(t, v) }
            return .raw(answer)
        }
        func buckets(_ series: [(BenchGroup, Int)], _ range: Range<Int64>, _ width: Int64) -> QueryAnswer {
            var rows: [BucketRow] = []
            for (s, (group, c)) in series.enumerated() {
                var byStart: [Int64: BucketRow] = [:]
                let values = group.columns[c].doubles
                for (t, v) in zip(group.timestamps, values) where range.contains(t) {
                    let start = t / width * width
                    byStart[start, default: BucketRow(series: s, start: start)].add(v)
                }
                rows += byStart.values.sorted { $0.start < $1.start }
            }
            return .buckets(rows)
        }
        func count(_ answer: QueryAnswer) -> (values: Int, rows: Int) {
            switch answer {
            case .raw(let r): (r.count, r.count)
            case .buckets(let b): (b.reduce(0) { $0 + $1.count }, b.count)
            }
        }
        func target(
            _ name: String, _ description: String, _ keys: [StoreSeriesKey], _ ids: [Int64], _ range: Range<Int64>,
            _ width: Int64?, _ reference: QueryAnswer
        ) -> Target {
            let (values, rows) = count(reference)
            return Target(
                spec: Spec(
                    name: name, description: description, series: keys.map(\.description), from: range.lowerBound,
                    to: range.upperBound, width: width, values: values, resultRows: rows),
                keys: keys, ids: ids, range: range, reference: reference)
        }
        /// The range from one second later: not a multiple of any rollup width, so the store reads chunks.
        func shifted(_ range: Range<Int64>) -> Range<Int64> { (range.lowerBound + 1_000_000)..<range.upperBound }
        targets = [
            target(
                "Q1", "1-min mean (count, min, max) of a 50 Hz channel (drone 1 ATTITUDE.roll) over its flying day",
                [roll], [rollID], flight.day, minute, buckets([(rollGroup, rollColumn)], flight.day, minute)),
            target(
                "Q2", "daily min/max (count, mean) of temp_10 per soil node, all nodes, all days",
                soil.map(\.0), soil.map(\.1), all, Dataset.day,
                buckets(soil.map { ($0.2, $0.3) }, all, Dataset.day)),
            target(
                "Q1-chunks", "Q1 over a range starting 1 s later (not aligned to a rollup width, so read from chunks)",
                [roll], [rollID], shifted(flight.day), minute,
                buckets([(rollGroup, rollColumn)], shifted(flight.day), minute)),
            target(
                "Q2-chunks", "Q2 over a range starting 1 s later (not aligned to a rollup width, so read from chunks)",
                soil.map(\.0), soil.map(\.1), shifted(all), Dataset.day,
                buckets(soil.map { ($0.2, $0.3) }, shifted(all), Dataset.day)),
            target(
                "Q3", "raw read of ATTITUDE.roll over one hour (from the first sortie's power-on)",
                [roll], [rollID], hour, nil, raw(rollGroup, rollColumn, hour)),
            target(
                "Q3-day", "raw read of ATTITUDE.roll over its flying day (research/tsdb.md's Q3)",
                [roll], [rollID], flight.day, nil, raw(rollGroup, rollColumn, flight.day)),
        ]
    }
}

/// One bucket of one series: what both stores must agree on.
struct BucketRow: Sendable, Codable {
    var series: Int
    var start: Int64
    var count = 0
    var sum = 0.0
    var minimum = Double.infinity
    var maximum = -Double.infinity
    var mean: Double { sum / Double(count) }

    init(series: Int, start: Int64) {
        self.series = series
        self.start = start
    }

    init(series: Int, start: Int64, count: Int, mean: Double, minimum: Double, maximum: Double) {
        self.series = series
        self.start = start
        self.count = count
        self.sum = mean * Double(count)
        self.minimum = minimum
        self.maximum = maximum
    }

    mutating func add(_ v: Double) {
        count += 1
        sum += v
        minimum = Swift.min(minimum, v)
        maximum = Swift.max(maximum, v)
    }
}

/// A raw read, folded: count, the first and last timestamps, and a hash of every (timestamp, value bits).
struct RawAnswer: Sendable, Codable, Equatable {
    var count = 0
    var first: Int64 = 0
    var last: Int64 = 0
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325

    @inline(__always)
    mutating func add(_ t: Int64, _ v: Double) {
        if count == 0 { first = t }
        last = t
        count += 1
        hash = (hash ^ UInt64(bitPattern: t)) &* 0x100_0000_01B3
        hash = (hash ^ v.bitPattern) &* 0x100_0000_01B3
    }
}

enum QueryAnswer: Sendable {
    case buckets([BucketRow])
    case raw(RawAnswer)

    /// Throws unless `self` (from `who`) gives the reference's counts, minima, maxima and raw values
    /// exactly, and its means within 1e-9 (sums run in a different order).
    func check(against reference: QueryAnswer, query: String, who: String) throws {
        func fail(_ why: String) -> BenchFailure {
            BenchFailure("\(query): \(who) disagrees with the reference: \(why)")
        }
        switch (self, reference) {
        case (.raw(let got), .raw(let want)):
            guard got == want else { throw fail("raw read \(got) vs \(want)") }
        case (.buckets(let got), .buckets(let want)):
            guard got.count == want.count else { throw fail("\(got.count) buckets vs \(want.count)") }
            for (g, w) in zip(got, want) {
                guard g.series == w.series, g.start == w.start, g.count == w.count else {
                    throw fail(
                        "bucket (series \(g.series), start \(g.start), count \(g.count)) vs (\(w.series), \(w.start), \(w.count))"
                    )
                }
                guard g.minimum == w.minimum, g.maximum == w.maximum else {
                    throw fail(
                        "series \(g.series) bucket \(g.start): min/max \(g.minimum)/\(g.maximum) vs \(w.minimum)/\(w.maximum)"
                    )
                }
                guard abs(g.mean - w.mean) <= 1e-9 * Swift.max(1, abs(w.mean)) else {
                    throw fail("series \(g.series) bucket \(g.start): mean \(g.mean) vs \(w.mean)")
                }
            }
        default:
            throw fail("answer of another kind")
        }
    }
}
