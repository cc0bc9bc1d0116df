/// An 'I' info, 'M' multi-info, 'P' parameter or 'Q' parameter-default message: `type key` and a value.
public struct ULogKeyValue: Sendable, Hashable {
    /// The key (`sys_name`, `MC_PITCH_P`).
    public let key: String
    /// The declared type (`char[7]`, `int32_t`, `float`).
    public let typeName: String
    /// The value: text for `char[n]`, a number for basic types, bytes otherwise.
    public let value: LogValue
}
