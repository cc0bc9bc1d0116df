import Foundation
import FurrowLogs
import FurrowStore
import FurrowWire

/// Where a live vehicle's bytes are archived (its link's project and name, its MAVLink ids), and how its
/// profile wants its flights summarised.
public struct LiveFlightArchive: Sendable, Hashable {
    public var project: String
    public var link: String
    public var systemID: UInt8
    public var componentID: UInt8
    /// Swath width and flows from the vehicle's profile (`[flight]`).
    public var options: FlightSummaryOptions

    public init(
        project: String, link: String, systemID: UInt8, componentID: UInt8, options: FlightSummaryOptions = .init()
    ) {
        self.project = project
        self.link = link
        self.systemID = systemID
        self.componentID = componentID
        self.options = options
    }
}

/// A live flight that just ended (disarm seen by the daemon).
public struct LiveFlightEnd: Sendable, Hashable {
    public var flight: Int64
    public var project: String
    /// Arm and disarm, µs since the epoch.
    public var start: Int64
    public var end: Int64
    public var archive: LiveFlightArchive
}

/// Summarises a live flight the way an uploaded .tlog is summarised: the archived bytes of its link in the
/// armed period (plus a margin) are framed again, the vehicle's frames (its system id) fed to the same
/// `FlightSummarizer`, and the summary and track stored with the flight.
public struct LiveFlightSummarizer: Sendable {
    public let reader: RawArchiveReader
    public let flights: FlightCatalog
    /// Archive read before the arm and after the disarm (the heartbeats around the transitions).
    public var margin: Int64 = 5_000_000

    public init(reader: RawArchiveReader, flights: FlightCatalog) {
        self.reader = reader
        self.flights = flights
    }

    /// Summarises `ended` and stores the summary; returns it.
    @discardableResult
    public func summarize(_ ended: LiveFlightEnd) async throws -> FlightSummary {
        var summarizer = FlightSummarizer(format: .tlog, options: ended.archive.options)
        // One framer for the whole read: a new one per receive zero-filled its 256 KiB sender table for every
        // archived datagram (a fifth of the daemon's CPU with 1,000 drones landing in turn).
        var framer = MAVLinkFramer()
        let system = ended.archive.systemID
        for try await record in reader.records(
            project: ended.archive.project, source: ended.archive.link, from: ended.start - margin,
            to: ended.end + margin, corruptSegments: .skip { _ in })
        {
            record.bytes.withUnsafeBytes { bytes in
                // The link carries every vehicle on it: a receive that is exactly one frame of another system
                // is passed over without checking its CRC.
                if Self.isSingleFrame(bytes, ofAnotherSystemThan: system) { return }
                framer.feed(bytes) { frame in
                    guard frame.systemID == system else { return }
                    summarizer.add(TlogRecord(timestampMicros: record.receivedAt, frame: frame))
                }
                // Each receive is framed on its own (a datagram holds whole frames); a serial read's cut frame
                // is lost.
                framer.finish { _ in }
            }
        }
        var summary = summarizer.finish()
        summary.notes.append("summarised from the raw archive of link \(ended.archive.link) (system \(system))")
        let stored = try FlightSummaryStorage.encode(summary, offset: 0)
        try flights.setSummary(id: ended.flight, summary: stored.json, track: stored.track)
        return summary
    }

    /// Whether `bytes` is exactly one MAVLink v1 or v2 frame (by its length field) whose header names a system
    /// other than `system`.
    static func isSingleFrame(_ bytes: UnsafeRawBufferPointer, ofAnotherSystemThan system: UInt8) -> Bool {
        guard bytes.count >= 8 else { return false }
        switch bytes[0] {
        case 0xFD:
            guard bytes.count >= 12 else { return false }
            let signature = bytes[2] & 0x01 != 0 ? 13 : 0
            return bytes.count == 12 + Int(bytes[1]) + signature && bytes[5] != system
        case 0xFE:
            return bytes.count == 8 + Int(bytes[1]) && bytes[3] != system
        default:
            return false
        }
    }
}
