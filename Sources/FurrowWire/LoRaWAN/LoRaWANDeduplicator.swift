/// Folds the copies of one uplink heard by several gateways into one, over a short window.
///
/// Copies are the same frame when DevAddr, FCnt and MIC match. The first copy opens a window; copies
/// within it are folded in; `drain(now:)` hands over the groups whose window has closed, each with its
/// best copy (highest SNR, then RSSI) and gateway count. Copies arriving after their group was handed
/// over are reported `.late` for `lateWindow` and should be dropped. Time is a `Duration` since any fixed
/// origin the caller chooses (a monotonic clock), so the type has no clock of its own.
public struct LoRaWANDeduplicator: Sendable {
    /// The identity of an uplink across gateways.
    public struct Key: Sendable, Hashable {
        public let devAddr: UInt32
        public let fCnt: UInt16
        public let mic: UInt32
    }

    /// What `offer` did with a copy.
    public enum Outcome: Sendable, Hashable {
        /// The first copy: a new group opened.
        case new
        /// Folded into an open group.
        case duplicate
        /// The group was already handed over; drop it.
        case late
    }

    struct Group: Sendable {
        var best: LoRaWANReception
        var gateways: Set<LoRaWANEUI>
        var copies: Int
        let firstSeen: Duration
    }

    /// How long copies are collected after the first one (network servers use 100–200 ms).
    public let window: Duration
    /// How long handed-over keys are remembered to recognise late copies.
    public let lateWindow: Duration
    var open: [Key: Group] = [:]
    var closed: [Key: Duration] = [:]

    public init(window: Duration = .milliseconds(200), lateWindow: Duration = .seconds(10)) {
        self.window = window
        self.lateWindow = lateWindow
    }

    /// Groups still collecting copies.
    public var openCount: Int { open.count }

    /// The earliest time a group's window closes: when to call `drain(now:)` next.
    public var nextDeadline: Duration? {
        open.values.map { $0.firstSeen + window }.min()
    }

    /// Offers one gateway's copy received at `now`.
    public mutating func offer(_ reception: LoRaWANReception, at now: Duration) -> Outcome {
        let f = reception.frame
        let key = Key(devAddr: f.devAddr, fCnt: f.fCnt, mic: f.micValue)
        if var group = open[key] {
            group.copies += 1
            group.gateways.insert(reception.gateway)
            if Self.isBetter(reception, than: group.best) { group.best = reception }
            open[key] = group
            return .duplicate
        }
        if let closedAt = closed[key], now - closedAt <= lateWindow {
            return .late
        }
        open[key] = Group(best: reception, gateways: [reception.gateway], copies: 1, firstSeen: now)
        return .new
    }

    /// Hands over the groups whose window has closed by `now`, oldest first, and forgets stale late-copy keys.
    public mutating func drain(now: Duration) -> [LoRaWANDeduplicatedUplink] {
        var done: [(Key, Group)] = []
        for (key, group) in open where now - group.firstSeen >= window {
            done.append((key, group))
        }
        done.sort { $0.1.firstSeen < $1.1.firstSeen }
        for (key, _) in done {
            open[key] = nil
            closed[key] = now
        }
        closed = closed.filter { now - $0.value <= lateWindow }
        return done.map { LoRaWANDeduplicatedUplink(best: $0.1.best, gatewayCount: $0.1.gateways.count, copies: $0.1.copies, firstSeen: $0.1.firstSeen) }
    }

    static func isBetter(_ a: LoRaWANReception, than b: LoRaWANReception) -> Bool {
        if a.snr != b.snr { return a.snr > b.snr }
        return a.rssi > b.rssi
    }
}
