/// A published pest phenology model — thresholds, method, cutoff, biofix rule and stage milestones — kept as data
/// with its sources, so a spray-timing answer can cite where every number came from.
///
/// The built-in models follow `research/agronomy.md` §2.1 and `agro-vectors/pest_disease_rules_published.json`.
/// `verified` is false where the project's research notes say a value still needs checking against the source.
public struct PestModel: Sendable, Hashable, Codable, Identifiable {
    /// A development stage reached at a cumulative degree-day total after the biofix (or start date).
    public struct Milestone: Sendable, Hashable, Codable {
        public var name: String
        public var degreeDays: Double
        public var scale: TemperatureScale
        /// False when the source marks the value as commonly quoted but not confirmed.
        public var verified: Bool

        public init(_ name: String, _ degreeDays: Double, scale: TemperatureScale = .fahrenheit, verified: Bool = true) {
            self.name = name
            self.degreeDays = degreeDays
            self.scale = scale
            self.verified = verified
        }
    }

    /// A stable identifier (`codling-moth`).
    public var id: String
    public var name: String
    /// Thresholds, unit, method and cutoff.
    public var degreeDays: DegreeDays
    /// How the biofix is set in the field (or the fixed start date).
    public var biofix: String
    public var milestones: [Milestone]
    /// Citations for thresholds, method and milestones.
    public var sources: [String]
    /// Caveats recorded with the model (unverified parts, unit traps).
    public var notes: [String]

    public init(
        id: String, name: String, degreeDays: DegreeDays, biofix: String, milestones: [Milestone], sources: [String],
        notes: [String] = []
    ) {
        self.id = id
        self.name = name
        self.degreeDays = degreeDays
        self.biofix = biofix
        self.milestones = milestones
        self.sources = sources
        self.notes = notes
    }

    /// Every built-in model.
    public static let builtIn: [PestModel] = [codlingMoth, peachTwigBorer, cornEarworm, navelOrangeworm, cornRootworm]

    /// The built-in model with this id, if any.
    public static func named(_ id: String) -> PestModel? { builtIn.first { $0.id == id } }

    /// Codling moth (Cydia pomonella), 50/88 °F single sine, horizontal cutoff.
    public static let codlingMoth = PestModel(
        id: "codling-moth", name: "codling moth (Cydia pomonella)",
        degreeDays: DegreeDays(lower: 50, upper: 88, scale: .fahrenheit, method: .singleSine, cutoff: .horizontal),
        biofix: "first date moths are consistently caught in pheromone traps AND sunset temperature >= 62 F",
        milestones: [Milestone("egg hatch begins", 250, verified: false)],
        sources: [
            "UC IPM 'California Sunset Temperatures for Codling Moth Monitoring' (ipm.ucanr.edu/WEATHER/aboutsunset.html) for the biofix rule",
            "thresholds/method: widely used UC IPM / WSU parameters (50/88 F, single sine, horizontal)",
        ],
        notes: [
            "thresholds and method to be confirmed against the UC IPM codling moth model page before release",
            "egg hatch ~250 DD F is commonly quoted; verify with UC IPM pest management guidelines for apple/pear/walnut",
        ])

    /// Peach twig borer (Anarsia lineatella), UC IPM model 1 (Zalom et al. 1992).
    public static let peachTwigBorer = PestModel(
        id: "peach-twig-borer", name: "peach twig borer (Anarsia lineatella), UC IPM model 1",
        degreeDays: DegreeDays(lower: 50, upper: 88, scale: .fahrenheit, method: .singleSine, cutoff: .horizontal),
        biofix: "first male moth captured in pheromone traps",
        milestones: [
            Milestone("bimodal flight, first peak", 232.2), Milestone("single flight peak", 369),
            Milestone("springtime spray (overwintering flight)", 400), Milestone("bimodal flight, second peak", 676.8),
            Milestone("generation, adult to adult", 1080),
        ],
        sources: ["UC IPM phenology model database, peach twig borer, https://ipm.ucanr.edu/weather/phenology-models-description/peach-twig-borer/ (Zalom et al. 1992)"])

    /// Corn earworm / cotton bollworm (Helicoverpa zea), UC IPM model 1 (Hartstack et al. 1976).
    public static let cornEarworm = PestModel(
        id: "corn-earworm", name: "corn earworm / cotton bollworm (Helicoverpa zea), UC IPM model 1",
        degreeDays: DegreeDays(lower: 54.7, upper: 91.9, scale: .fahrenheit, method: .singleSine, cutoff: .intermediate),
        biofix: "egg lay (the model counts stage durations from the egg); or a trap-catch date",
        milestones: [
            Milestone("egg hatch", 72.9), Milestone("small larvae become large larvae", 72.9 + 147.1),
            Milestone("larvae pupate", 72.9 + 147.1 + 217.1), Milestone("adult emergence (egg to adult)", 760.1),
            Milestone("egg-laying adult (adult to adult)", 872.8),
        ],
        sources: ["UC IPM phenology model database, corn earworm, https://ipm.ucanr.edu/weather/phenology-models-description/corn-earworm-cotton-bollworm-tomato-fruitworm/ (Hartstack et al. 1976)"],
        notes: [
            "UC IPM lists stage durations (eggs 72.9, small larvae 147.1, large larvae 217.1, pupae 323.1, pre-egglaying adult 112.7 DD F); milestones here are their running sums from egg lay, with the published totals 760.1 (egg to adult) and 872.8 (adult to adult)",
        ])

    /// Navel orangeworm (Amyelois transitella), 55/93.9 °F.
    public static let navelOrangeworm = PestModel(
        id: "navel-orangeworm", name: "navel orangeworm (Amyelois transitella)",
        degreeDays: DegreeDays(lower: 55, upper: 93.9, scale: .fahrenheit, method: .singleSine, cutoff: .horizontal),
        biofix: "egg traps: first sustained egg laying",
        milestones: [],
        sources: ["thresholds as used by the UCANR-IGIS degday README example linking the UC IPM navel orangeworm model page"],
        notes: ["method (single sine) and cutoff (horizontal) assumed, not verified against UC IPM"])

    /// Western and northern corn rootworm egg hatch (Levine et al. 1992), soil temperature at 4 in.
    public static let cornRootworm = PestModel(
        id: "corn-rootworm", name: "western & northern corn rootworm egg hatch (Diabrotica spp.)",
        degreeDays: DegreeDays(lower: 52, upper: nil, scale: .fahrenheit, method: .doubleSine, cutoff: .horizontal),
        biofix: "1 January; daily max/min SOIL temperature at 4 in (10 cm)",
        milestones: [Milestone("50 % egg hatch (low end)", 684), Milestone("50 % egg hatch (high end)", 767)],
        sources: ["Levine, Oloumi-Sadeghi & Ellis (1992) J. Econ. Entomol. 85:2425-2432, as quoted by Univ. of Illinois Pest Management Bulletin (2007 no. 9) and Iowa State ICM News (Hodgson 2014)"],
        notes: [
            "sine method of Allen (1976) on soil max/min, which Zalom et al. (1983) name the double sine; no upper threshold",
            "older Illinois bulletins quote 380-426 DD for 50 % hatch (different site/units)",
        ])
}
