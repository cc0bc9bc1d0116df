/// How a value is laid out in one or two 16-bit registers.
public enum ModbusValueType: String, Sendable, Hashable, CaseIterable {
    case int16, uint16, int32, uint32, float32

    /// Registers the value occupies.
    public var registerCount: Int {
        switch self {
        case .int16, .uint16: 1
        case .int32, .uint32, .float32: 2
        }
    }
}
