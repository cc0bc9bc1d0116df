import Foundation
import FurrowAgronomy
import FurrowStore

/// Builds ``PestSummary`` answers from the store, the field catalog and the trap catalog.
///
/// Rules (also in the API description):
/// - Daily Tmin/Tmax come from `tMin`/`tMax` series (the day's lowest/highest sample, any coverage: a station's
///   daily extremes are one sample each, so only impossible values are excluded, not day-to-day swings) or else from a `temperature` series (the day's valid samples, which must
///   cover ≥ 80 % of the day). Samples outside −60…60 °C or lone spikes are excluded (``DailyAggregator``).
/// - A day without both is flagged and adds nothing; the cumulative sum carries over it.
/// - Biofix: `properties.pest.biofix[model]`, else the season's first sustained catch (from 1 January of `from`'s
///   year) of the field's traps for that pest, else the first day of the range (flagged). The biofix day counts
///   (UC IPM); an earlier biofix extends the days back to it.
public struct PestSummarizer: Sendable {
    public let store: TimeSeriesStore
    public let fields: FieldCatalog
    public let traps: TrapCatalog
    /// Longest span one summary may cover, days.
    public var maximumDays = 800
    /// Share of a day a `temperature` series must cover.
    public var completenessThreshold = 0.8

    public init(store: TimeSeriesStore, fields: FieldCatalog, traps: TrapCatalog) {
        self.store = store
        self.fields = fields
        self.traps = traps
    }

    typealias Failure = PestSummaryError

    static func invalid(_ parameter: String, _ message: String) -> Failure {
        Failure(kind: .invalidRequest, parameter: parameter, message: message)
    }

    static func notReady(_ parameter: String, _ message: String) -> Failure {
        Failure(kind: .fieldNotReady, parameter: parameter, message: message)
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    public func summary(field original: Field, project: String, model modelID: String, from: String?, to: String?)
        async throws -> PestSummary
    {
        guard let model = PestModel.named(modelID) else {
            throw Self.invalid(
                "model", "\(modelID) is not a built-in pest model: \(PestModel.builtIn.map(\.id).joined(separator: ", "))")
        }
        let irrigation = IrrigationSummarizer(store: store, fields: fields)
        let (field, irrigationSettings) = try irrigation.effective(original, project: project)
        let settings = try PestSettings.of(original).get()
        let zoneName = field.timeZone ?? "UTC"
        guard let timeZone = TimeZone(identifier: zoneName) else {
            throw Self.notReady("timeZone", "\(zoneName) is not an IANA time zone")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.dateComponents([.year, .month, .day], from: Date())
        let last = to ?? String(format: "%04d-%02d-%02d", today.year ?? 1970, today.month ?? 1, today.day ?? 1)
        let first = from ?? String(last.prefix(4)) + "-01-01"
        for (name, text) in [("from", first), ("to", last)] where FieldCatalog.parseDate(text) == nil {
            throw Self.invalid(name, "\(text) is not a date YYYY-MM-DD")
        }
        guard first <= last else { throw Self.invalid("to", "from (\(first)) must not be after to (\(last))") }
        let fixedBiofix = settings.biofix?[model.id]
        if let b = fixedBiofix, FieldCatalog.parseDate(b) == nil {
            throw Self.notReady("properties.pest.biofix", "\(model.id): \(b) is not a date YYYY-MM-DD")
        }
        // The season's first sustained catch (1 January of `from`'s year through `to`) in the field's traps for this
        // pest: the biofix candidate, even when it falls before `from` (the accumulation then starts there).
        let fieldTraps = try traps.traps(project: project, field: original.id)
        var seasonCatch: (date: String, trap: Trap)?
        let year = String(first.prefix(4)) + "-01-01"
        if fixedBiofix == nil, let january = LocalDay.days(from: year, through: year, timeZone: timeZone),
            let lastDay = LocalDay.days(from: last, through: last, timeZone: timeZone)
        {
            for trap in fieldTraps where trap.pest == model.id {
                let stored = try await TrapCatalog.counts(
                    store: store, project: project, field: original.id, trap: trap.id, in: january[0].start..<lastDay[0].end)
                let checks = zip(stored.times, stored.counts).map {
                    TrapCatch.Check(date: Self.localDate($0, calendar: calendar), exposureDays: nil, count: $1)
                }
                if let date = (try? TrapCatch(checks, sustainedChecks: settings.sustainedChecks ?? 2))?.firstSustainedCatch,
                    date < seasonCatch?.date ?? "9999"
                {
                    seasonCatch = (date, trap)
                }
            }
        }
        let start = min(first, fixedBiofix ?? seasonCatch?.date ?? first)
        guard let spanStart = TrapCatch.day(start), let spanEnd = TrapCatch.day(last), spanEnd - spanStart + 1 <= maximumDays
        else {
            throw Self.invalid("to", "\(start)…\(last) spans more than \(maximumDays) days (from the biofix or from)")
        }
        guard let days = LocalDay.days(from: start, through: last, timeZone: timeZone), !days.isEmpty else {
            throw Self.invalid("from", "\(start)…\(last) is not a range of dates")
        }
        let range = days[0].start..<days[days.count - 1].end
        let aggregator = DailyAggregator(days: days)

        // Weather series.
        let fallback = irrigationSettings?.weather
        let weather = settings.weather
        var provenance: [String: JSONValue] = [:]
        var globalFlags: [QualityFlag] = []
        func series(_ ref: SeriesReference?, role: String, parameter: String) async throws -> (times: [Int64], values: [Double])? {
            guard let ref else { return nil }
            let info: StoreSeriesInfo?
            do {
                info = try await irrigation.resolve(ref, project: project, parameter: parameter)
            } catch let error as IrrigationSummaryError {
                throw Self.notReady(error.parameter, error.message)
            }
            guard let info else {
                provenance[role] = .object(["series": .null, "reference": .string(ref.label), "status": .string("not-found")])
                globalFlags.append(QualityFlag(
                    input: role, reason: "series-not-found", count: 0,
                    detail: "\(parameter) names \(ref.label), which has no series in project \(project) yet"))
                return ([], [])
            }
            provenance[role] = .object([
                "series": .number(Double(info.id)), "source": .string(info.key.group.source),
                "group": .string(info.key.group.name), "channel": .string(info.key.channel), "parameter": .string(parameter),
                "status": .string("ok"),
            ])
            return try await irrigation.read(info, in: range)
        }
        let pw = "properties.pest.weather"
        let tMinRef = weather?.tMin ?? (weather?.temperature == nil ? fallback?.tMin : nil)
        let tMaxRef = weather?.tMax ?? (weather?.temperature == nil ? fallback?.tMax : nil)
        let temperatureRef = weather?.temperature ?? fallback?.temperature
        let hasDaily = tMinRef != nil && tMaxRef != nil
        guard hasDaily || temperatureRef != nil else {
            throw Self.notReady(
                "properties.pest.weather",
                "field \(field.id) has no temperature series: set properties.pest.weather.tMin and tMax (daily extremes) or temperature (or irrigation.weather)")
        }
        let tMinSeries = hasDaily ? try await series(tMinRef, role: "tMin", parameter: weather?.tMin != nil ? "\(pw).tMin" : "irrigation.weather.tMin") : nil
        let tMaxSeries = hasDaily ? try await series(tMaxRef, role: "tMax", parameter: weather?.tMax != nil ? "\(pw).tMax" : "irrigation.weather.tMax") : nil
        let temperature = try await series(
            temperatureRef, role: "temperature", parameter: weather?.temperature != nil ? "\(pw).temperature" : "irrigation.weather.temperature")
        let humidity = try await series(
            weather?.relativeHumidity ?? fallback?.relativeHumidity, role: "relativeHumidity",
            parameter: weather?.relativeHumidity != nil ? "\(pw).relativeHumidity" : "irrigation.weather.relativeHumidity")
        let wetness = try await series(weather?.leafWetness, role: "leafWetness", parameter: "\(pw).leafWetness")

        let tMinDaily = tMinSeries.map { aggregator.aggregate(times: $0.times, values: $0.values, quantity: .dailyTemperature, input: "tMin") }
        let tMaxDaily = tMaxSeries.map { aggregator.aggregate(times: $0.times, values: $0.values, quantity: .dailyTemperature, input: "tMax") }
        let tDaily = temperature.map { aggregator.aggregate(times: $0.times, values: $0.values, quantity: .temperature, input: "temperature") }

        // Daily extremes in °C, then in the model's scale.
        var extremes: [(tMin: Double, tMax: Double)?] = []
        var dayFlags: [[QualityFlag]] = []
        for i in days.indices {
            var flags: [QualityFlag] = []
            var lo: Double?
            var hi: Double?
            if let a = tMinDaily?[i], let b = tMaxDaily?[i] {
                flags += a.flags + b.flags
                lo = a.minimum
                hi = b.maximum
                if lo == nil || hi == nil {
                    flags.append(QualityFlag(input: "tMin/tMax", reason: "incomplete", count: 0, detail: "no valid daily minimum and maximum on this day: no degree-days"))
                }
            } else if let t = tDaily?[i] {
                flags += t.flags
                if t.coverage >= completenessThreshold {
                    lo = t.minimum
                    hi = t.maximum
                } else {
                    flags.append(QualityFlag(
                        input: "temperature", reason: "incomplete", count: t.count,
                        detail: String(format: "valid samples cover %.1f %% of the day, below %.0f %%: no degree-days", t.coverage * 100, completenessThreshold * 100)))
                }
            }
            if let l = lo, let h = hi, l > h {
                flags.append(QualityFlag(input: "temperature", reason: "tmin-above-tmax", count: 0, detail: "Tmin \(l) °C is above Tmax \(h) °C: both excluded"))
                lo = nil
                hi = nil
            }
            extremes.append(lo.flatMap { l in hi.map { (l, $0) } })
            dayFlags.append(flags)
        }
        let scale = model.degreeDays.scale
        func inScale(_ c: Double) -> Double { TemperatureScale.celsius.convert(c, to: scale) }
        var daily: [Double?] = []
        for i in days.indices {
            guard let e = extremes[i] else { daily.append(nil); continue }
            let next = i + 1 < days.count ? extremes[i + 1].map { inScale($0.tMin) } : nil
            do {
                daily.append(try model.degreeDays.daily(tMin: inScale(e.tMin), tMax: inScale(e.tMax), nextTMin: next))
            } catch {
                dayFlags[i].append(QualityFlag(input: "temperature", reason: "rejected", count: 0, detail: error.message))
                daily.append(nil)
            }
        }

        // Traps of the field.
        var trapDocuments: [JSONValue] = []
        var trapCountByDate: [String: Double] = [:]
        var trapResults: [(Trap, TrapCatch, [Int64])] = []
        for trap in fieldTraps {
            let answer = try await TrapCatalog.counts(
                store: store, project: project, field: original.id, trap: trap.id, in: 0..<range.upperBound)
            var previous = trap.installedAt.flatMap(StoreTime.parse)
            var checks: [TrapCatch.Check] = []
            var times: [Int64] = []
            for (t, c) in zip(answer.times, answer.counts) {
                let date = Self.localDate(t, calendar: calendar)
                let exposure = previous.map { Double(t - $0) / 86_400e6 }
                previous = t
                guard t >= range.lowerBound else { continue }
                checks.append(TrapCatch.Check(date: date, exposureDays: exposure.flatMap { $0 > 0 ? $0 : nil }, count: c))
                times.append(t)
                trapCountByDate[date, default: 0] += c
            }
            let catchSummary: TrapCatch
            do {
                catchSummary = try TrapCatch(checks, sustainedChecks: settings.sustainedChecks ?? 2)
            } catch {
                throw Self.notReady("properties.pest.sustainedChecks", error.message)
            }
            trapResults.append((trap, catchSummary, times))
        }

        // Biofix.
        var biofix: [String: JSONValue]
        let biofixDate: String
        if let b = fixedBiofix {
            biofixDate = b
            biofix = ["date": .string(b), "source": .string("field setting properties.pest.biofix.\(model.id)")]
        } else if let s = seasonCatch {
            biofixDate = s.date
            biofix = [
                "date": .string(s.date),
                "source": .string("first sustained catch (\(settings.sustainedChecks ?? 2) checks in a row with a catch) in trap \(s.trap.name) (id \(s.trap.id)); other conditions of the model's rule (such as a sunset temperature) are not checked: set properties.pest.biofix to override"),
            ]
        } else {
            biofixDate = days[0].date
            biofix = ["date": .string(biofixDate), "source": .string("start of the range: no biofix set and no sustained trap catch")]
            globalFlags.append(QualityFlag(
                input: "biofix", reason: "not-configured", count: 0,
                detail: "\(model.name): biofix rule is '\(model.biofix)'; none set (properties.pest.biofix) and no sustained catch in this field's \(model.id) traps, so degree-days accumulate from \(biofixDate)"))
        }
        biofix["rule"] = .string(model.biofix)
        let biofixIndex = days.firstIndex { $0.date >= biofixDate } ?? days.count
        var cumulative: [Double] = []
        var total = 0.0
        for i in days.indices {
            if i >= biofixIndex { total += daily[i] ?? 0 }
            cumulative.append(i >= biofixIndex ? total : 0)
        }
        var reachedByDate: [String: [String]] = [:]
        let milestones: [JSONValue] = model.milestones.map { m in
            let threshold = m.scale.convertDifference(m.degreeDays, to: scale)
            let i = days.indices.first { $0 >= biofixIndex && cumulative[$0] >= threshold }
            if let i { reachedByDate[days[i].date, default: []].append(m.name) }
            return .object([
                "name": .string(m.name), "degreeDays": .number(threshold), "verified": .bool(m.verified),
                "date": i.map { .string(days[$0].date) } ?? .null,
            ])
        }
        let cumulativeByDate = Dictionary(uniqueKeysWithValues: days.indices.map { (days[$0].date, cumulative[$0]) })

        for (trap, c, _) in trapResults {
            let threshold = trap.actionThreshold
            let weeks: [JSONValue] = c.weeks.map { w in
                var o: [String: JSONValue] = [
                    "weekStart": .string(w.weekStart), "checks": .number(Double(w.checks)), "count": .number(w.count),
                    "exposureDays": Self.number(w.exposureDays), "ctd": Self.number(w.ctd), "rate": Self.number(w.rate),
                    "smoothed": Self.number(w.smoothed), "peak": .bool(w.peak),
                ]
                if let limit = threshold?.perTrapPerWeek { o["aboveThreshold"] = .bool((w.rate ?? 0) >= limit) }
                return .object(o)
            }
            let peaks: [JSONValue] = c.weeks.filter(\.peak).map { w in
                let endDate = TrapCatch.text((TrapCatch.day(w.weekStart) ?? 0) + 6)
                let dd = cumulativeByDate.filter { $0.key >= w.weekStart && $0.key <= endDate }.max { $0.key < $1.key }?.value
                return .object(["weekStart": .string(w.weekStart), "rate": Self.number(w.rate), "smoothed": Self.number(w.smoothed), "degreeDaysSinceBiofix": Self.number(dd)])
            }
            let checks: [JSONValue] = c.intervals.map { v in
                .object([
                    "date": .string(v.date), "count": .number(v.count), "exposureDays": Self.number(v.exposureDays),
                    "ctd": Self.number(v.ctd), "cumulative": .number(v.cumulative),
                    "degreeDaysSinceBiofix": Self.number(cumulativeByDate[v.date]),
                ])
            }
            var thresholdDoc: JSONValue = .null
            if let t = threshold {
                thresholdDoc = .object([
                    "perTrapPerWeek": Self.number(t.perTrapPerWeek), "cumulative": Self.number(t.cumulative), "source": .string(t.source),
                    "firstWeekAbove": t.perTrapPerWeek.flatMap { limit in c.weeks.first { ($0.rate ?? 0) >= limit }?.weekStart }.map { .string($0) } ?? .null,
                    "cumulativeReached": t.cumulative.flatMap { limit in c.intervals.first { $0.cumulative >= limit }?.date }.map { .string($0) } ?? .null,
                ])
            }
            trapDocuments.append(.object([
                "id": .number(Double(trap.id)), "name": .string(trap.name), "pest": .string(trap.pest),
                "lure": trap.lure.map { .string($0) } ?? .null,
                "checks": .array(checks), "weeks": .array(weeks), "peaks": .array(peaks), "total": .number(c.total),
                "firstCatch": c.firstCatch.map { .string($0) } ?? .null,
                "firstSustainedCatch": c.firstSustainedCatch.map { .string($0) } ?? .null,
                "actionThreshold": thresholdDoc.isNull
                    ? .object(["status": .string("not-configured"), "detail": .string("no action threshold recorded for this trap; thresholds are pest, crop, lure and region specific — set actionThreshold with its source")])
                    : thresholdDoc,
            ]))
        }

        // Disease risk from hourly temperature with leaf wetness (or RH ≥ 90 %).
        let disease = try DiseaseRiskBlock(
            days: days, temperature: temperature, wetness: wetness, humidity: humidity, calendar: calendar)

        var rows: [[String: JSONValue]] = []
        var dayDocs: [JSONValue] = []
        for (i, day) in days.enumerated() {
            let flags = dayFlags[i] + (i == 0 ? globalFlags : [])
            var row: [String: JSONValue] = [
                "date": .string(day.date),
                "tMin": Self.number(extremes[i].map { inScale($0.tMin) }), "tMax": Self.number(extremes[i].map { inScale($0.tMax) }),
                "degreeDays": Self.number(daily[i]), "cumulative": .number(cumulative[i]),
                "milestones": .string((reachedByDate[day.date] ?? []).joined(separator: "; ")),
                "trapCount": Self.number(trapCountByDate[day.date]),
                "powderyMildewIndex": Self.number(disease.powderyMildew.map { Double($0[i].index) }),
                "flags": .string(flags.map { "\($0.input):\($0.reason)" }.joined(separator: "; ")),
            ]
            rows.append(row)
            row["flags"] = .array(flags.map(IrrigationSummarizer.flag))
            row["milestones"] = .array((reachedByDate[day.date] ?? []).map { .string($0) })
            dayDocs.append(.object(row))
        }
        let document: [String: JSONValue] = [
            "field": .number(Double(original.id)), "from": .string(days[0].date), "to": .string(last),
            "timeZone": .string(zoneName),
            "model": .object([
                "id": .string(model.id), "name": .string(model.name), "lower": .number(model.degreeDays.lower),
                "upper": Self.number(model.degreeDays.upper), "scale": .string(model.degreeDays.scale.rawValue),
                "method": .string(model.degreeDays.method.rawValue), "cutoff": .string(model.degreeDays.cutoff.rawValue),
                "sources": .array(model.sources.map { .string($0) }), "notes": .array(model.notes.map { .string($0) }),
            ]),
            "units": .object(["temperature": .string(scale == .celsius ? "°C" : "°F"), "degreeDays": .string(scale == .celsius ? "°C-days" : "°F-days")]),
            "inputs": .object([
                "dailyExtremes": .string(hasDaily ? "tMin/tMax series: the day's lowest and highest sample" : "temperature series: the day's valid samples (≥ \(Int(completenessThreshold * 100)) % of the day covered)"),
                "provenance": .object(provenance),
            ]),
            "biofix": .object(biofix), "milestones": .array(milestones), "days": .array(dayDocs),
            "totals": .object(["degreeDaysSinceBiofix": .number(total), "days": .number(Double(days.count)), "daysWithDegreeDays": .number(Double(daily.compactMap { $0 }.count))]),
            "traps": .array(trapDocuments), "disease": disease.document,
        ]
        return PestSummary(document: document, rows: rows)
    }

    static func number(_ v: Double?) -> JSONValue { v.map { $0.isFinite ? .number($0) : .null } ?? .null }

    static func localDate(_ micros: Int64, calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(micros) / 1e6))
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}

extension JSONValue {
    var isNull: Bool { if case .null = self { true } else { false } }
}
