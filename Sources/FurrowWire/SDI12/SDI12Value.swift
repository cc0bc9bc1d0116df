/// One value of an SDI-12 data response: `+1.23`, `-4.5`, `+6`.
public struct SDI12Value: Sendable, Hashable, CustomStringConvertible {
    /// The value as a number.
    public let value: Double
    /// Digits after the decimal point as sent (`+1.230` has 3), so a store can keep it as a scaled integer.
    public let decimals: Int

    public init(value: Double, decimals: Int) {
        self.value = value
        self.decimals = decimals
    }

    public var description: String { "\(value)" }
}
