import Foundation
import FurrowWire

/// What a replay changes in the MAVLink frames it sends: the system id, Unix times, which messages go out.
///
/// The identity (the default) sends the archived bytes untouched. Anything else scans each record for
/// CRC-valid MAVLink frames (`ReplayRewriter`) and:
/// - `systemID`: writes the new system id into every frame of a known message and recomputes the CRC.
///   A signed MAVLink 2 frame loses its 13-byte signature and has the "signed" incompatibility flag
///   cleared, as no key could sign the changed bytes; frames of ids the dialect lacks (no CRC_EXTRA to
///   recompute with) go out unchanged.
/// - `timestampsNow`: adds (now − the record's receive time) to every `uint64` field called
///   `time_unix_usec` or `time_usec` whose value is a Unix time (≥ 10¹⁵ µs, i.e. after 2001-09-09):
///   SYSTEM_TIME.time_unix_usec, GPS_RAW_INT/GPS2_RAW/HIL_GPS/GPS_INPUT.time_usec when the sender put a
///   Unix time there, and the like. Boot-relative times (`time_boot_ms`, `time_usec` below 10¹⁵) and GPS
///   week/ms fields are kept.
/// - `only` / `exclude`: frames of other (or of the excluded) messages are not sent. With a filter on,
///   bytes that are not part of a CRC-valid frame (noise on a serial capture) are dropped too; frames of
///   ids the dialect lacks pass `exclude` but never `only`.
public struct ReplayRewrite: Sendable, Hashable {
    /// The system id every frame gets, or nil to keep each frame's own.
    public var systemID: UInt8?
    /// Shift Unix-time fields so they read as if the message were received now.
    public var timestampsNow = false
    /// Message ids to send (nil: all).
    public var only: Set<UInt32>?
    /// Message ids not to send.
    public var exclude: Set<UInt32> = []

    /// The identity: bytes out are the bytes archived.
    public init() {}

    /// A rewrite with message filters given by name (`HEARTBEAT,ATTITUDE`), looked up in `dialect`.
    ///
    /// - Throws: `ReplayError` (`.argument`) naming a message the dialect does not define.
    public init(
        systemID: UInt8? = nil, timestampsNow: Bool = false, only: [String]? = nil, exclude: [String] = [],
        dialect: MAVLinkDialect = .ardupilotmega
    ) throws(ReplayError) {
        self.systemID = systemID
        self.timestampsNow = timestampsNow
        self.only = try only.map { names throws(ReplayError) in try Self.ids(names, dialect: dialect, option: "only") }
        self.exclude = try Self.ids(exclude, dialect: dialect, option: "exclude")
    }

    /// Whether the bytes out are the bytes archived.
    public var isIdentity: Bool { systemID == nil && !timestampsNow && !filters }

    /// Whether some frames may be left out (and noise between frames with them).
    public var filters: Bool { only != nil || !exclude.isEmpty }

    /// Whether a frame of message `id` is sent.
    @inlinable
    public func sends(_ id: UInt32, known: Bool) -> Bool {
        if let only { return known && only.contains(id) }
        return !exclude.contains(id)
    }

    static func ids(_ names: [String], dialect: MAVLinkDialect, option: String) throws(ReplayError) -> Set<UInt32> {
        var ids: Set<UInt32> = []
        for raw in names {
            let name = raw.trimmingCharacters(in: .whitespaces).uppercased()
            if name.isEmpty { continue }
            guard let info = dialect.message(named: name) else {
                throw ReplayError(.argument, "\(option): no message \(name) in dialect \(dialect.name)")
            }
            ids.insert(info.id)
        }
        return ids
    }
}
