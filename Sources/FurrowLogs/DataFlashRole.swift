/// What a ``FlightSummarizer`` reads from a DataFlash message type, decided once per type byte.
enum DataFlashRole: Sendable {
    case gps, pos, battery, mode, arm, ev, err, msg, ver, flow, other
}
