/// A rejected agronomy input, with a stable code and the field at fault, so callers can show why a value was refused.
///
/// Impossible inputs (RH above 100 %, Tmin above Tmax, negative radiation, …) are never turned into zeros.
public struct AgronomyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable machine-readable code.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A number outside its physical range (RH > 100 %, negative radiation, wind height ≤ 0.19 m…).
        public static let outOfRange = Code(rawValue: "out_of_range")
        /// Two inputs that cannot both be true (Tmin > Tmax, θWP ≥ θFC, RHmin > RHmax…).
        public static let inconsistent = Code(rawValue: "inconsistent")
        /// A value that is required by the chosen method is absent.
        public static let missingInput = Code(rawValue: "missing_input")
        /// NaN or infinity.
        public static let notFinite = Code(rawValue: "not_finite")
    }

    /// What kind of problem.
    public var code: Code
    /// The input field at fault (`tmax`, `rh_min`, `days[12].rain`…).
    public var field: String
    /// A sentence a user can act on.
    public var message: String

    public init(_ code: Code, field: String, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message) [\(code)]" }
}

/// Small checks shared by the input types.
enum Check {
    static func finite(_ value: Double, _ field: String) throws(AgronomyError) {
        guard value.isFinite else { throw AgronomyError(.notFinite, field: field, "\(value) is not a finite number") }
    }

    static func range(
        _ value: Double, _ field: String, _ range: ClosedRange<Double>, unit: String
    ) throws(AgronomyError) {
        try finite(value, field)
        guard range.contains(value) else {
            throw AgronomyError(
                .outOfRange, field: field,
                "\(value) \(unit) is outside the possible range \(range.lowerBound)…\(range.upperBound) \(unit)")
        }
    }

    static func nonNegative(_ value: Double, _ field: String, unit: String) throws(AgronomyError) {
        try finite(value, field)
        guard value >= 0 else { throw AgronomyError(.outOfRange, field: field, "\(value) \(unit) is negative") }
    }

    static func positive(_ value: Double, _ field: String, unit: String) throws(AgronomyError) {
        try finite(value, field)
        guard value > 0 else { throw AgronomyError(.outOfRange, field: field, "\(value) \(unit) must be above 0") }
    }
}
