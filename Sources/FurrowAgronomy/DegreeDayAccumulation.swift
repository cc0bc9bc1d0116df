/// Degree-days summed from a biofix, with the settings that produced them, so a stored total can always be explained.
///
/// The biofix day itself counts (as in UC IPM and R degday: 2020-04-01 → 04-30 at 50/88 °F single sine on
/// Esparto.A weather is 376.72 °F-days only when 1 April is included).
public struct DegreeDayAccumulation: Sendable, Hashable, Codable {
    /// One day of the accumulation.
    public struct Day: Sendable, Hashable, Codable {
        public var date: String
        /// That day's degree-days.
        public var daily: Double
        /// Sum from the biofix through this day; 0 before the biofix.
        public var cumulative: Double
    }

    /// A milestone and the first day the cumulative sum reached it (nil if not reached in the series).
    public struct Reached: Sendable, Hashable, Codable {
        public var milestone: PestModel.Milestone
        public var date: String?
        public var index: Int?
    }

    public var settings: DegreeDays
    /// Index of the biofix day in the input series.
    public var biofixIndex: Int
    public var days: [Day]

    /// Accumulates from `biofixIndex` (0 = the first day, e.g. 1 January).
    /// - Throws: ``AgronomyError`` for invalid days or a biofix outside the series.
    public init(_ days: [DailyTemperature], settings: DegreeDays, biofixIndex: Int = 0) throws(AgronomyError) {
        guard days.indices.contains(biofixIndex) else {
            throw AgronomyError(.outOfRange, field: "biofix", "biofix index \(biofixIndex) is outside the \(days.count) days given")
        }
        let daily = try settings.series(days)
        var total = 0.0
        self.days = days.indices.map { i in
            if i >= biofixIndex { total += daily[i] }
            return Day(date: days[i].date, daily: daily[i], cumulative: i >= biofixIndex ? total : 0)
        }
        self.settings = settings
        self.biofixIndex = biofixIndex
    }

    /// Accumulates from the day whose `date` equals `biofix`.
    public init(_ days: [DailyTemperature], settings: DegreeDays, biofix: String) throws(AgronomyError) {
        guard let index = days.firstIndex(where: { $0.date == biofix }) else {
            throw AgronomyError(.missingInput, field: "biofix", "no day dated \(biofix) in the series; the biofix must be one of its days")
        }
        try self.init(days, settings: settings, biofixIndex: index)
    }

    /// The total on the last day.
    public var total: Double { days.last?.cumulative ?? 0 }

    /// First day each milestone (in the accumulation's scale) is reached.
    public func reached(_ milestones: [PestModel.Milestone]) -> [Reached] {
        milestones.map { m in
            let threshold = m.scale.convertDifference(m.degreeDays, to: settings.scale)
            let i = days.indices.first { $0 >= biofixIndex && days[$0].cumulative >= threshold }
            return Reached(milestone: m, date: i.map { days[$0].date }, index: i)
        }
    }
}
