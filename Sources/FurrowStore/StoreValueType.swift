/// The type of every value in a column chunk; stored in the chunk header so a chunk decodes on its own.
///
/// The numbers are part of the on-disk format: never renumber, only add.
public enum StoreValueType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Microseconds since the Unix epoch (`Int64`), as `FurrowWire` batches carry them: µs resolves
    /// every clock our devices have (MAVLink `time_usec`, GCS receive times) and spans ±292,000 years.
    case timestamp = 1
    /// IEEE-754 binary64, bit-exact (NaN payloads and -0.0 included).
    case float64 = 2
    /// IEEE-754 binary32 (MAVLink `float` fields), bit-exact.
    case float32 = 3
    /// Signed 64-bit integers (counters, raw sensor counts, lat/lon in 1e-7 degrees).
    case int64 = 4
    /// Booleans (armed, pump on, valve open).
    case bool = 5
    /// Small integer states and enums (flight mode, system status, GPS fix type): run-length first.
    case state = 6
    /// Short UTF-8 strings (modes, status text), bit-exact bytes.
    case string = 7

    public var description: String {
        switch self {
        case .timestamp: "timestamp"
        case .float64: "float64"
        case .float32: "float32"
        case .int64: "int64"
        case .bool: "bool"
        case .state: "state"
        case .string: "string"
        }
    }
}
