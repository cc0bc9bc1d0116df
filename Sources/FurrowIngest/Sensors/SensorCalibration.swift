/// How a sensor's raw value becomes a value in units: kept apart from the raw value so a changed
/// calibration can be re-applied to stored raw readings later.
///
/// `value = c0 + c1·raw + c2·raw² + …`; a linear scale and offset is `[offset, scale]`.
public struct SensorCalibration: Sendable, Hashable {
    /// Polynomial coefficients, lowest power first.
    public let coefficients: [Double]

    /// The identity: the value is the raw reading.
    public static let identity = SensorCalibration(coefficients: [0, 1])

    /// A polynomial, lowest power first (empty means the identity).
    public init(coefficients: [Double]) {
        self.coefficients = coefficients.isEmpty ? [0, 1] : coefficients
    }

    /// `raw × scale + offset`.
    public static func linear(scale: Double, offset: Double) -> SensorCalibration {
        SensorCalibration(coefficients: [offset, scale])
    }

    /// Whether the value is always the raw reading (then no separate raw channel is needed).
    public var isIdentity: Bool { coefficients == [0, 1] }

    /// The calibrated value of `raw` (Horner's rule).
    public func apply(_ raw: Double) -> Double {
        coefficients.reversed().reduce(0) { $0 * raw + $1 }
    }
}
