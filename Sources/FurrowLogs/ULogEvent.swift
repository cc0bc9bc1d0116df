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
