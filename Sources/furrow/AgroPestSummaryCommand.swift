import ArgumentParser
import Foundation
import FurrowAgronomy

/// `furrow agro pest`: a pest model's degree-days from a biofix with milestones, and trap catch summaries
/// (CTD, weeks, flight peaks, first sustained catch) from files — the API's pest summary without a store.
struct AgroPestSummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pest",
        abstract: "Pest summary from files: degree-days from the biofix, milestones, trap CTD, weeks and flight peaks (JSON in; JSON or CSV out).",
        discussion: """
            Input keys: model (\(PestModel.builtIn.map(\.id).joined(separator: ", "))); scale of the temperatures \
            (C default, or F); days [{date, tmin, tmax}] (consecutive); biofix (a date; default: the earliest first \
            sustained catch of the model's traps, else the first day); sustained_checks (default 2); traps [{name, pest, \
            installed (date), checks [{date, count}]}]. CTD = count ÷ days since the previous check (or since \
            installed). Weeks are ISO weeks of the check dates; a flight peak is a local maximum of the 3-week \
            centred moving mean of 7 × CTD.
            """
    )

    struct Input: Decodable {
        struct Day: Decodable {
            var date: String
            var tmin: Double
            var tmax: Double
        }

        struct Check: Decodable {
            var date: String
            var count: Double
        }

        struct Trap: Decodable {
            var name: String
            var pest: String?
            var installed: String?
            var checks: [Check]
        }

        var model: String
        var scale: TemperatureScale?
        var days: [Day]
        var biofix: String?
        var sustainedChecks: Int?
        var traps: [Trap]?
    }

    @Option(help: "The weather, traps and settings as JSON.") var input: String
    @Option(help: "json (default) or csv (one row per day).") var format = "json"

    func run() throws {
        let spec = try decodeSnakeCaseJSON(Input.self, path: input)
        guard let model = PestModel.named(spec.model) else {
            throw ValidationError("unknown model \(spec.model); known: \(PestModel.builtIn.map(\.id).joined(separator: ", "))")
        }
        guard format == "json" || format == "csv" else { throw ValidationError("--format: json or csv") }
        guard !spec.days.isEmpty else { throw ValidationError("days: empty") }
        let scale = spec.scale ?? .celsius
        let settings = model.degreeDays
        let days = spec.days.map {
            DailyTemperature(date: $0.date, tMin: scale.convert($0.tmin, to: settings.scale), tMax: scale.convert($0.tmax, to: settings.scale))
        }
        var trapOut: [[String: Any]] = []
        var sustained: [(String, String)] = []
        for trap in spec.traps ?? [] {
            var previous = trap.installed.flatMap(Self.dayNumber)
            var checks: [TrapCatch.Check] = []
            for c in trap.checks {
                guard let day = Self.dayNumber(c.date) else { throw ValidationError("trap \(trap.name): \(c.date) is not a date") }
                checks.append(TrapCatch.Check(date: c.date, exposureDays: previous.map { Double(day - $0) }.flatMap { $0 > 0 ? $0 : nil }, count: c.count))
                previous = day
            }
            let result: TrapCatch
            do {
                result = try TrapCatch(checks, sustainedChecks: spec.sustainedChecks ?? 2)
            } catch {
                throw agronomyFailure(error, prefix: "trap \(trap.name): ")
            }
            if (trap.pest ?? model.id) == model.id, let s = result.firstSustainedCatch { sustained.append((s, trap.name)) }
            trapOut.append([
                "name": trap.name, "total": result.total, "first_catch": result.firstCatch ?? NSNull(),
                "first_sustained_catch": result.firstSustainedCatch ?? NSNull(),
                "checks": result.intervals.map {
                    ["date": $0.date, "count": $0.count, "exposure_days": $0.exposureDays ?? NSNull(), "ctd": $0.ctd ?? NSNull(),
                     "cumulative": $0.cumulative] as [String: Any]
                },
                "weeks": result.weeks.map {
                    ["week_start": $0.weekStart, "count": $0.count, "ctd": $0.ctd ?? NSNull(), "rate": $0.rate ?? NSNull(),
                     "smoothed": $0.smoothed ?? NSNull(), "peak": $0.peak] as [String: Any]
                },
            ])
        }
        let earliest = sustained.min { $0.0 < $1.0 }
        let biofix = spec.biofix ?? earliest?.0 ?? days[0].date
        let biofixSource = spec.biofix != nil ? "given" : earliest.map { "first sustained catch in trap \($0.1)" } ?? "first day (no biofix, no sustained catch)"
        guard let biofixIndex = days.firstIndex(where: { $0.date >= biofix }) else {
            throw ValidationError("biofix \(biofix) is after the last day")
        }
        let acc: DegreeDayAccumulation
        do {
            acc = try DegreeDayAccumulation(days, settings: settings, biofixIndex: biofixIndex)
        } catch {
            throw agronomyFailure(error)
        }
        let reached = acc.reached(model.milestones)
        if format == "csv" {
            var out = "date,tmin,tmax,dd,cumulative,milestones\n"
            for (i, d) in acc.days.enumerated() {
                let names = reached.filter { $0.index == i }.map(\.milestone.name).joined(separator: "; ")
                out += "\(d.date),\(days[i].tMin),\(days[i].tMax),\(d.daily),\(d.cumulative),\(names.contains(",") ? "\"\(names)\"" : names)\n"
            }
            print(out, terminator: "")
            return
        }
        try printJSON([
            "model": model.id, "sources": model.sources, "notes": model.notes, "lower": settings.lower,
            "upper": settings.upper.map { $0 as Any } ?? NSNull(), "scale": settings.scale.rawValue, "method": settings.method.rawValue,
            "cutoff": settings.cutoff.rawValue, "biofix": ["date": days[biofixIndex].date, "source": biofixSource, "rule": model.biofix],
            "total": acc.total,
            "days": acc.days.map { ["date": $0.date, "dd": $0.daily, "cumulative": $0.cumulative] as [String: Any] },
            "milestones": reached.map {
                ["name": $0.milestone.name, "dd": $0.milestone.degreeDays, "verified": $0.milestone.verified, "date": $0.date ?? NSNull()] as [String: Any]
            },
            "traps": trapOut,
        ])
    }

    /// Days since 1970-01-01 of a YYYY-MM-DD date.
    static func dayNumber(_ text: String) -> Int? {
        guard let c = try? CivilDate.parse(text) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        return calendar.date(from: DateComponents(year: c.year, month: c.month, day: c.day)).map { Int($0.timeIntervalSince1970 / 86_400) }
    }
}
