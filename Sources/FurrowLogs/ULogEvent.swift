/// The ULog file header: version and when logging started.
public struct ULogHeader: Sendable, Hashable {
    /// File format version (1).
    public let version: UInt8
    /// Logging start, microseconds since boot.
    public let timestamp: UInt64
}

/// The 'B' flag-bits message.
public struct ULogFlagBits: Sendable, Hashable {
    /// Compatible flags (bit 0 of byte 0: default parameters present).
    public let compatFlags: [UInt8]
    /// Incompatible flags (bit 0 of byte 0: data appended); any other bit makes the log unreadable.
    public let incompatFlags: [UInt8]
    /// File offsets where appended data starts (zeros dropped).
    public let appendedOffsets: [UInt64]
    /// Whether bit 0 of the incompatible flags says data was appended.
    public var hasAppendedData: Bool { incompatFlags.first.map { $0 & 1 != 0 } ?? false }
}

/// An 'I' info, 'M' multi-info, 'P' parameter or 'Q' parameter-default message: `type key` and a value.
public struct ULogKeyValue: Sendable, Hashable {
    /// The key (`sys_name`, `MC_PITCH_P`).
    public let key: String
    /// The declared type (`char[7]`, `int32_t`, `float`).
    public let typeName: String
    /// The value: text for `char[n]`, a number for basic types, bytes otherwise.
    public let value: LogValue
}

/// A logged string ('L', or 'C' with a tag).
public struct ULogLogString: Sendable, Hashable {
    /// Syslog level as an ASCII digit ('0' emergency … '7' debug), as the file stores it.
    public let level: UInt8
    /// The tag of a 'C' message.
    public let tag: UInt16?
    /// Microseconds since boot.
    public let timestamp: UInt64
    /// The text.
    public let message: String
}

/// One data message ('D'): a view valid only during the callback.
public struct ULogData {
    /// The subscription the message belongs to.
    public let subscription: ULogSubscription
    /// File offset of the message header.
    public let offset: Int
    /// The body after msg_id (at least ``ULogSubscription/size`` bytes).
    public let body: UnsafeRawBufferPointer

    /// The `timestamp` field (0 when the format has none).
    @inlinable public var timestamp: UInt64 {
        guard let t = subscription.timestampOffset else { return 0 }
        return UInt64(littleEndian: body.loadUnaligned(fromByteOffset: t, as: UInt64.self))
    }

    /// The values of ``ULogSubscription/fields`` (padding left out), in order.
    public var values: [LogValue] { subscription.fields.map { $0.value(in: body.baseAddress!) } }
}

/// What a ``ULogReader`` found, in file order.
public enum ULogEvent {
    /// 'B' (must be the first message).
    case flagBits(ULogFlagBits)
    /// 'F'.
    case format(ULogFormat)
    /// 'I'.
    case info(ULogKeyValue)
    /// 'M': `isContinued` appends to the previous value of the same key.
    case multiInfo(ULogKeyValue, isContinued: Bool)
    /// 'P': `initial` in the definitions section; later ones are changes at `timestamp` (the last data
    /// timestamp seen, as pyulog dates them).
    case parameter(ULogKeyValue, initial: Bool, timestamp: UInt64)
    /// 'Q': a default value; `defaultTypes` bit 0 system default, bit 1 current-setup default.
    case parameterDefault(ULogKeyValue, defaultTypes: UInt8)
    /// 'A'.
    case subscription(ULogSubscription)
    /// 'R'.
    case unsubscription(msgID: UInt16)
    /// 'D'.
    case data(ULogData)
    /// 'L' or 'C'.
    case logString(ULogLogString)
    /// 'S' at this file offset.
    case sync(offset: Int)
    /// 'O': the logger dropped `durationMillis` of data at about `timestamp` (last data timestamp seen).
    case dropout(durationMillis: UInt16, timestamp: UInt64)
}
