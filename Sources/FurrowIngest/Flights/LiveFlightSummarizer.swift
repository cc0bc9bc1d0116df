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
        try await summarize(together: [ended])[0].get()
    }

    /// Summarises flights that ended close together and stores each summary: one read of each link's
    /// archive over the union of their periods serves all the flights of that link.
    ///
    /// Why: a link carries every vehicle on it, so one flight's read inflates and frames the whole fleet's
    /// bytes over its period; read per flight, a fleet landing together cost the square of its size (at
    /// 3,000 simulated drones, a fifth of the daemon's CPU went to re-reading the same segments). Each
    /// flight still sees exactly the frames of its system in its own period plus the margin.
    ///
    /// - Returns: one result per flight, in the order given (a failed read fails the flights of its link).
    public func summarize(together ended: [LiveFlightEnd]) async -> [Result<FlightSummary, any Error>] {
        var results = [Result<FlightSummary, any Error>?](repeating: nil, count: ended.count)
        var byLink: [LinkKey: [Int]] = [:]
        for (i, flight) in ended.enumerated() {
            byLink[LinkKey(project: flight.archive.project, link: flight.archive.link), default: []].append(i)
        }
        for (link, members) in byLink {
            do {
                let summaries = try await summarizeLink(link, flights: members.map { ended[$0] })
                for (k, i) in members.enumerated() {
                    do {
                        let stored = try FlightSummaryStorage.encode(summaries[k], offset: 0)
                        try flights.setSummary(id: ended[i].flight, summary: stored.json, track: stored.track)
                        results[i] = .success(summaries[k])
                    } catch {
                        results[i] = .failure(error)
                    }
                }
            } catch {
                for i in members { results[i] = .failure(error) }
            }
        }
        return results.map { $0! }
    }

    /// Which archive a flight's bytes are in.
    struct LinkKey: Hashable {
        var project: String
        var link: String
    }

    /// The summaries of `flights` (all on `link`), from one read of the link's archive.
    func summarizeLink(_ link: LinkKey, flights: [LiveFlightEnd]) async throws -> [FlightSummary] {
        var summarizers = flights.map { FlightSummarizer(format: .tlog, options: $0.archive.options) }
        // Half-open, as the archive reads `from..<to`: exactly what a read per flight returned.
        let windows = flights.map { ($0.start &- margin)..<($0.end &+ margin) }
        // Per system id, the flights it flew (usually one).
        var bySystem = [[Int]](repeating: [], count: 256)
        for (i, flight) in flights.enumerated() { bySystem[Int(flight.archive.systemID)].append(i) }
        let from = windows.map(\.lowerBound).min() ?? 0
        let to = windows.map(\.upperBound).max() ?? 0
        // One framer for the whole read: a new one per receive zero-filled its 256 KiB sender table for every
        // archived datagram (a fifth of the daemon's CPU with 1,000 drones landing in turn).
        var framer = MAVLinkFramer()
        for try await record in reader.records(
            project: link.project, source: link.link, from: from, to: to, corruptSegments: .skip { _ in })
        {
            let at = record.receivedAt
            record.bytes.withUnsafeBytes { bytes in
                // A receive that is exactly one frame of a system none of these flights flew is passed over
                // without checking its CRC.
                if let system = Self.singleFrameSystem(bytes), bySystem[Int(system)].isEmpty { return }
                framer.feed(bytes) { frame in
                    for i in bySystem[Int(frame.systemID)] where windows[i].contains(at) {
                        summarizers[i].add(TlogRecord(timestampMicros: at, frame: frame))
                    }
                }
                // Each receive is framed on its own (a datagram holds whole frames); a serial read's cut frame
                // is lost.
                framer.finish { _ in }
            }
        }
        return zip(flights, summarizers).map { flight, summarizer in
            var summarizer = summarizer
            var summary = summarizer.finish()
            summary.notes.append(
                "summarised from the raw archive of link \(flight.archive.link) (system \(flight.archive.systemID))")
            return summary
        }
    }

    /// Whether `bytes` is exactly one MAVLink v1 or v2 frame (by its length field) whose header names a system
    /// other than `system`.
    static func isSingleFrame(_ bytes: UnsafeRawBufferPointer, ofAnotherSystemThan system: UInt8) -> Bool {
        singleFrameSystem(bytes).map { $0 != system } ?? false
    }

    /// The system id of `bytes` when it is exactly one MAVLink v1 or v2 frame (by its length field), else nil.
    static func singleFrameSystem(_ bytes: UnsafeRawBufferPointer) -> UInt8? {
        guard bytes.count >= 8 else { return nil }
        switch bytes[0] {
        case 0xFD:
            guard bytes.count >= 12 else { return nil }
            let signature = bytes[2] & 0x01 != 0 ? 13 : 0
            return bytes.count == 12 + Int(bytes[1]) + signature ? bytes[5] : nil
        case 0xFE:
            return bytes.count == 8 + Int(bytes[1]) ? bytes[3] : nil
        default:
            return nil
        }
    }
}
